package io.longshore.core;

import io.longshore.api.ContainerSpec;
import io.longshore.api.Scheduler.Cancellable;
import io.longshore.core.RolloutStatus.State;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The control loop's collaborator for rollouts: holds the desired revision (the spec new replicas
 * run) and the latest {@link Rollout}, answers update, pause, resume and undo requests, watches
 * the replica table after every batch of loop tasks (available new replicas, completion), rolls
 * back on the progress deadline or a crash loop, and tells the loop what to start and stop
 * through its {@link RolloutPlanner}. It never starts or stops a replica itself. Loop only; not
 * thread-safe.
 */
final class Rollouts implements ReplicaLifecycle.Revisions {
    private final ControlPort control;
    private final ReplicaTable table;
    private final RolloutConfig config;
    private final RolloutPlanner planner;
    private Revision target;
    private Rollout current;
    private Cancellable deadline = () -> { };
    private Cancellable wake = () -> { };
    private long wakeAtNanos = Long.MAX_VALUE;

    Rollouts(ControlPort control, ReplicaTable table, RolloutConfig config, Revision configured) {
        this.control = control;
        this.table = table;
        this.config = config;
        this.planner = new RolloutPlanner(config);
        this.target = configured;
    }

    /** The desired revision: what new replicas run, and what a replacement of one of its spec runs. */
    @Override
    public Revision target() {
        return target;
    }

    /**
     * After adoption at start: {@code desired} is the desired revision recovered from what the
     * runtime runs. When adopted replicas run other specs, a rollout to it goes on from the spec
     * most of them run, for {@code reason}.
     */
    void recovered(Revision desired, String reason) {
        this.target = desired;
        Map<String, Revision> others = new HashMap<>();
        Map<String, Integer> counts = new HashMap<>();
        for (Replica replica : table.active()) {
            if (!replica.revision().sameSpec(desired)) {
                others.putIfAbsent(replica.revision().hash(), replica.revision());
                counts.merge(replica.revision().hash(), 1, Integer::sum);
            }
        }
        counts.entrySet().stream().max(Map.Entry.comparingByValue())
                .ifPresent(most -> begin(new Rollout(control, others.get(most.getKey()), desired, reason)));
    }

    /**
     * Starts a rollout to {@code spec}, paused when it supersedes a paused one; throws
     * {@link RolloutException} when every replica is to run it already.
     */
    RolloutStatus update(ContainerSpec spec, String reason, int desired) {
        Revision to = Revision.of(spec, target.generation() + 1);
        if (to.sameSpec(target)) {
            throw new RolloutException("the spec is unchanged: " + to.hash() + " is the desired spec already");
        }
        String why = current != null && (current.is(State.PROGRESSING) || current.is(State.PAUSED))
                ? reason + " (supersedes the rollout to " + current.to().hash() + ")" : reason;
        boolean paused = current != null && current.is(State.PAUSED);
        Revision from = target;
        target = to;
        begin(new Rollout(control, from, to, why));
        if (paused) {
            // as a paused Deployment: changes gather while paused, and resuming rolls out the last one
            current.pause("paused: it supersedes a paused rollout; resume to go on");
            deadline.cancel();
        }
        return current.status(desired);
    }

    RolloutStatus pause(int desired) {
        requireCurrent("pause").pause("paused by request");
        deadline.cancel();
        return current.status(desired);
    }

    RolloutStatus resume(int desired) {
        requireCurrent("resume").resume("resumed by request");
        armDeadline();
        return current.status(desired);
    }

    /** Rolls back a rollout under way; starts one back to the previous spec after a complete one. */
    RolloutStatus undo(int desired) {
        Rollout rollout = requireCurrent("undo");
        if (rollout.is(State.COMPLETE)) {
            return update(rollout.from().spec(), "undo of the rollout to " + rollout.to().hash(), desired);
        }
        rollBack("undone by request");
        return current.status(desired);
    }

    Optional<RolloutStatus> status(int desired) {
        return current == null ? Optional.empty() : Optional.of(current.status(desired));
    }

    /** Whether there is a rollout to {@link #observe}. */
    boolean any() {
        return current != null;
    }

    /** Whether the loop should reconcile after every batch: a rollout goes on, or replicas of another spec run. */
    boolean unsettled() {
        if (current != null && (current.is(State.PROGRESSING) || current.is(State.PAUSED))) {
            return true;
        }
        for (Replica replica : table.values()) {
            if (!replica.revision().sameSpec(target)) {
                return true;
            }
        }
        return false;
    }

    /** What to start and take away now to reach {@code desired} replicas of the desired revision. */
    RolloutPlanner.Plan plan(int desired) {
        int leavingOld = 0;
        for (Replica replica : table.values()) {
            if (!replica.revision().sameSpec(target) && replica.departure() != null && !replica.departure().replace()) {
                leavingOld++;
            }
        }
        boolean rolling = current == null || !current.is(State.PAUSED);
        return planner.plan(table.active(), leavingOld, target.hash(), desired, rolling, control.nanos());
    }

    /** After a batch of loop tasks: counts available new replicas, completes the rollout, wakes for minReady. */
    void observe(int desired) {
        if (current == null) {
            return;
        }
        long now = control.nanos();
        int available = 0;
        int fresh = 0;
        long nextAvailable = Long.MAX_VALUE;
        boolean othersLeft = false;
        for (Replica replica : table.values()) {
            if (!replica.revision().sameSpec(current.to())) {
                othersLeft = true;
                continue;
            }
            fresh += replica.isLeaving() ? 0 : 1;
            if (planner.available(replica, now)) {
                available++;
            } else if (replica.phase() == ReplicaPhase.READY) {
                nextAvailable = Math.min(nextAvailable, planner.availableAtNanos(replica));
            }
        }
        current.available(available, desired);
        if (current.is(State.PROGRESSING) && !othersLeft && fresh == desired && available == desired) {
            current.complete(desired);
            deadline.cancel();
        } else if (nextAvailable != Long.MAX_VALUE) {
            wakeAt(nextAvailable);
        }
    }

    /**
     * A replica failed (its start, its probes, or its container exited): a replica of the spec a
     * rollout rolls out counts towards the crash loop of its port slot.
     */
    @Override
    public void failed(Replica replica, String reason) {
        if (current == null || !current.is(State.PROGRESSING) || !replica.revision().sameSpec(current.to())) {
            return;
        }
        int failures = current.failed(replica.port());
        if (failures >= config.crashLoopRestarts()) {
            rollBack("crash loop: replicas of " + current.to().hash() + " on port " + replica.port() + " failed "
                    + failures + " times (the last: " + reason + ")");
        }
    }

    private void begin(Rollout rollout) {
        current = rollout;
        armDeadline();
    }

    private Rollout requireCurrent(String action) {
        if (current == null) {
            throw new RolloutException("no rollout to " + action + ": none was started");
        }
        return current;
    }

    /**
     * Gives the rollout up: the spec it replaced is the desired one again (as a new generation), and
     * the replicas of its spec that wait for a replacement get none (they are old now).
     */
    private void rollBack(String reason) {
        current.rollBack(reason);
        deadline.cancel();
        target = current.from().at(target.generation() + 1);
        for (Replica replica : List.copyOf(table.values())) {
            if (replica.revision().sameSpec(current.to()) && replica.isLeaving() && replica.departure().replace()) {
                replica.withoutReplacement();
            }
        }
    }

    private void armDeadline() {
        deadline.cancel();
        Rollout rollout = current;
        long due = rollout.progressAtNanos() + config.progressDeadline().toNanos();
        deadline = control.later(Duration.ofNanos(Math.max(0, due - control.nanos())), () -> deadlineDue(rollout));
    }

    private void deadlineDue(Rollout rollout) {
        if (rollout != current || !rollout.is(State.PROGRESSING)) {
            return;
        }
        if (control.nanos() - rollout.progressAtNanos() >= config.progressDeadline().toNanos()) {
            rollBack("progress deadline exceeded: no replica of " + rollout.to().hash() + " became available within "
                    + config.progressDeadline());
        } else {
            armDeadline();
        }
    }

    /** Wakes the loop (a task, after which it looks again) when a new replica's minReady is over. */
    private void wakeAt(long atNanos) {
        long now = control.nanos();
        if (atNanos >= wakeAtNanos && wakeAtNanos > now) {
            return;
        }
        wake.cancel();
        wakeAtNanos = atNanos;
        wake = control.later(Duration.ofNanos(Math.max(0, atNanos - now)), () -> wakeAtNanos = Long.MAX_VALUE);
    }
}
