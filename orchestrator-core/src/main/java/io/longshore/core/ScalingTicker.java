package io.longshore.core;

import io.longshore.api.ContainerRuntime;
import io.longshore.api.OrchestratorEvent.ScalingDecided;
import io.longshore.api.ResourceStats;
import io.longshore.api.ScalingContext;
import io.longshore.api.ScalingDecision;
import io.longshore.api.ScalingPolicy;
import io.longshore.api.internal.UserCode;
import io.longshore.core.internal.DefaultRouter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the scaling policy every scaling interval, from the start or, for policies that ask
 * for it, from the first routed request: samples the replicas' CPU off the loop (one sample at a
 * time: a tick while one is under way decides with the last reading, so slow stats calls neither
 * pile up on the runtime threads, ahead of starts and stops, nor hold the policy up), builds the
 * context, asks the policy for its decision (a throwing policy keeps the count), clamps it to
 * min/max, keeps one replica when requests wait, reports the decision and hands a change to its
 * {@link Target}. Also decides at once, between ticks, when requests wait in a gateway's line
 * with no room for them on any replica and none on its way (at most once a quarter interval).
 * Loop only; not thread-safe.
 */
final class ScalingTicker {
    private static final Logger LOG = LoggerFactory.getLogger(ScalingTicker.class);
    static final String TICK = "tick";
    static final String WAITING = "waiting";

    /** The owner of the desired count: what the ticker reads, and where its decisions go. */
    interface Target {
        int desired();

        Optional<Instant> lastScaledAt();

        /** Sets the desired count to {@code replicas} (already clamped), for {@code reason}. */
        void scaleTo(int replicas, String reason);

        /** The policy decided (whether or not the count changes). */
        void decided(ScalingDecided decision);
    }

    private final ControlPort control;
    private final ReplicaTable table;
    private final DefaultRouter router;
    private final ContainerRuntime runtime;
    private final ScalingPolicy policy;
    private final long intervalNanos;
    private final int min;
    private final int max;
    private final Target target;
    private double lastCpu = Double.NaN;
    /** Whether a CPU sample is under way on a runtime thread: a tick starts no other meanwhile. */
    private boolean sampling;
    /** The time (the loop's nanos) of the figures the latest decision used: an older one is dropped. */
    private long lastDecidedNanos = Long.MIN_VALUE;
    private boolean started;
    private boolean ticking;
    private boolean stopped;
    private long nextTickNanos;
    private long lastWaitingDecision = Long.MIN_VALUE;
    private boolean waitingRecheck;

    ScalingTicker(ControlPort control, ReplicaTable table, DefaultRouter router, OrchestratorConfig config, Target target) {
        this.control = control;
        this.table = table;
        this.router = router;
        this.runtime = config.runtime();
        this.policy = instance(config.scalingPolicy(), control);
        this.intervalNanos = config.scalingInterval().toNanos();
        this.min = config.minReplicas();
        this.max = config.maxReplicas();
        this.target = target;
    }

    /** The policy's instance for this orchestrator; the policy itself when asking throws. */
    private static ScalingPolicy instance(ScalingPolicy policy, ControlPort control) {
        try {
            ScalingPolicy own = policy.newInstance();
            return own != null ? own : policy;
        } catch (RuntimeException | Error e) {
            UserCode.rethrowIfFatal(e);
            control.userCodeFailed("policy " + UserCode.name(policy), String.valueOf(e));
            return policy;
        }
    }

    /** Ticks from now, or from the first request for a policy that asks for it. */
    void start() {
        started = true;
        if (!startsAtFirstRequest() || router.firstRequestAt().isPresent()) {
            begin();
        }
    }

    /** The policy's answer; one that throws is reported and taken as "from now" (the default). */
    private boolean startsAtFirstRequest() {
        try {
            return policy.startsAtFirstRequest();
        } catch (RuntimeException | Error e) {
            UserCode.rethrowIfFatal(e);
            control.userCodeFailed("policy " + UserCode.name(policy), String.valueOf(e));
            return false;
        }
    }

    /** The router saw its first request. */
    void firstRequest() {
        if (started) {
            begin();
        }
    }

    /** No more ticks, no more decisions. */
    void stop() {
        stopped = true;
    }

    /**
     * Requests wait in a gateway's line: decides now when no room is free for them and none on
     * its way (replicas starting, each with its container concurrency, or any room without a
     * limit), at most once a quarter interval (a later check is scheduled otherwise).
     */
    void waiting() {
        if (!started || stopped) {
            return;
        }
        int waiting = router.capacity().waiting();
        if (waiting == 0 || waiting <= (long) router.capacity().room() + comingRoom()) {
            return;
        }
        long now = control.nanos();
        long gap = intervalNanos / 4;
        if (lastWaitingDecision != Long.MIN_VALUE && now - lastWaitingDecision < gap) {
            if (!waitingRecheck) {
                waitingRecheck = true;
                control.later(Duration.ofNanos(lastWaitingDecision + gap - now), () -> {
                    waitingRecheck = false;
                    waiting();
                });
            }
            return;
        }
        lastWaitingDecision = now;
        decide(lastCpu, now, control.now(), WAITING);
    }

    /** The room replicas that are starting will bring; {@link Integer#MAX_VALUE} when they have no limit. */
    private long comingRoom() {
        long starting = table.active().stream().filter(r -> r.phase() != ReplicaPhase.READY).count();
        int limit = control.containerConcurrency();
        return starting == 0 ? 0 : limit == 0 ? Integer.MAX_VALUE : starting * limit;
    }

    private void begin() {
        if (ticking || stopped) {
            return;
        }
        ticking = true;
        nextTickNanos = control.nanos() + intervalNanos;
        control.later(Duration.ofNanos(intervalNanos), this::tick);
    }

    private void tick() {
        if (stopped) {
            return;
        }
        nextTickNanos += intervalNanos;
        control.later(Duration.ofNanos(Math.max(0, nextTickNanos - control.nanos())), this::tick);
        long tickNanos = control.nanos();
        Instant tickTime = control.now();
        if (sampling) {
            decide(lastCpu, tickNanos, tickTime, TICK);
            return;
        }
        sampling = true;
        List<String> containers = table.values().stream()
                .filter(r -> r.hasContainer() && !r.isLeaving()).map(Replica::containerId).toList();
        control.offLoop(() -> {
            double cpu = meanCpu(runtime, containers);
            control.post(() -> {
                sampling = false;
                lastCpu = cpu;
                decide(cpu, tickNanos, tickTime, TICK);
            });
        });
    }

    private static double meanCpu(ContainerRuntime runtime, List<String> containers) {
        double sum = 0;
        int count = 0;
        for (String id : containers) {
            try {
                Optional<ResourceStats> stats = runtime.stats(id);
                if (stats.isPresent()) {
                    sum += stats.get().cpuPercent();
                    count++;
                }
            } catch (RuntimeException | Error e) {
                UserCode.rethrowIfFatal(e);
                LOG.debug("no stats for {}", id, e);
            }
        }
        return count == 0 ? Double.NaN : sum / count;
    }

    /**
     * Decides with the figures of the interval that ended at the tick: sampling CPU may take
     * a while (a Docker stats call takes about a second per container), and the request window
     * must not slide past the interval's first requests meanwhile. A decision on figures older
     * than the latest decision's (a sample that took longer than an interval, whose next tick
     * decided with the reading before) is dropped: it must not undo the newer one.
     */
    private void decide(double cpu, long tickNanos, Instant tickTime, String trigger) {
        if (stopped || tickNanos < lastDecidedNanos) {
            return;
        }
        lastDecidedNanos = tickNanos;
        router.cpuPercent(cpu);
        int desired = target.desired();
        ScalingContext context = new ScalingContext(desired, table.readyCount(), min, max, tickTime,
                target.lastScaledAt(), router.firstRequestAt(), router.metricsAsOf(tickNanos));
        ScalingDecision decision;
        try {
            decision = policy.decision(context);
        } catch (RuntimeException | Error e) {
            UserCode.rethrowIfFatal(e);
            control.userCodeFailed("policy " + UserCode.name(policy), String.valueOf(e));
            return;
        }
        if (decision == null) {
            control.userCodeFailed("policy " + UserCode.name(policy), "decided null");
            return;
        }
        int wanted = decision.replicas();
        ScalingDecision clamped = clamp(decision);
        int to = clamped.replicas();
        target.decided(new ScalingDecided(tickTime, control.service(), UserCode.name(policy), trigger, desired, to,
                clamped.metric(), clamped.observed(), clamped.target(), clamped.window(), clamped.mode().name(),
                clamped.recommendation(), clamped.clamps()));
        if (to != desired) {
            target.scaleTo(to, "policy " + UserCode.name(policy) + " wants " + wanted
                    + (to != wanted ? " (clamped to " + to + ")" : ""));
        }
    }

    /** Min and max, and one replica at least while requests wait for one. */
    private ScalingDecision clamp(ScalingDecision decision) {
        ScalingDecision clamped = decision;
        if (clamped.replicas() > max) {
            clamped = clamped.clampedTo(max, "max");
        } else if (clamped.replicas() < min) {
            clamped = clamped.clampedTo(min, "min");
        }
        if (clamped.replicas() == 0 && router.capacity().waiting() > 0) {
            clamped = clamped.clampedTo(1, "requests waiting");
        }
        return clamped;
    }
}
