package io.longshore.core;

import io.longshore.api.OrchestratorEvent;
import io.longshore.core.RolloutStatus.State;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One rollout from one revision to another, as a small state machine: {@code PROGRESSING} ⇄
 * {@code PAUSED}, and from either to the final {@code ROLLED_BACK}; {@code PROGRESSING} →
 * {@code COMPLETE} (final). Each transition checks the move (a move the state does not allow
 * throws {@link RolloutException}, which the request that asked for it gets) and emits its event.
 * It also keeps what the rollout counts: available replicas of the new revision (and when the
 * last one became available, for the progress deadline) and failures of new replicas per port
 * slot (for the crash loop). Owned by the control loop; not thread-safe.
 */
final class Rollout {
    private final ControlPort control;
    private final Revision from;
    private final Revision to;
    private final Map<Integer, Integer> failures = new HashMap<>();
    private State state = State.PROGRESSING;
    private String reason;
    private int updated;
    private long progressAtNanos;

    /** A rollout that begins now, for {@code reason}; emits {@code RolloutStarted}. */
    Rollout(ControlPort control, Revision from, Revision to, String reason) {
        this.control = Objects.requireNonNull(control, "control");
        this.from = Objects.requireNonNull(from, "from");
        this.to = Objects.requireNonNull(to, "to");
        this.reason = Objects.requireNonNull(reason, "reason");
        this.progressAtNanos = control.nanos();
        control.emit(new OrchestratorEvent.RolloutStarted(control.now(), control.service(), from.hash(), to.hash(),
                reason));
    }

    // ---- transitions ----

    /** PROGRESSING → PAUSED. */
    void pause(String why) {
        require(State.PROGRESSING, "pause");
        move(State.PAUSED, why);
        control.emit(new OrchestratorEvent.RolloutPaused(control.now(), control.service(), from.hash(), to.hash(), why));
    }

    /** PAUSED → PROGRESSING; the progress deadline starts again. */
    void resume(String why) {
        require(State.PAUSED, "resume");
        move(State.PROGRESSING, why);
        progressAtNanos = control.nanos();
        control.emit(new OrchestratorEvent.RolloutResumed(control.now(), control.service(), from.hash(), to.hash(), why));
    }

    /** PROGRESSING → COMPLETE: {@code total} replicas run the new revision, every one available. */
    void complete(int total) {
        require(State.PROGRESSING, "complete");
        move(State.COMPLETE, "every replica runs " + to.hash());
        control.emit(new OrchestratorEvent.RolloutCompleted(control.now(), control.service(), from.hash(), to.hash(),
                total));
    }

    /** PROGRESSING or PAUSED → ROLLED_BACK, for {@code why}. */
    void rollBack(String why) {
        if (state != State.PROGRESSING && state != State.PAUSED) {
            throw new RolloutException("the rollout to " + to.hash() + " is " + state + "; it cannot be rolled back");
        }
        move(State.ROLLED_BACK, why);
        control.emit(new OrchestratorEvent.RolloutRolledBack(control.now(), control.service(), from.hash(), to.hash(),
                why));
    }

    private void move(State next, String why) {
        this.state = next;
        this.reason = why;
    }

    private void require(State expected, String action) {
        if (state != expected) {
            throw new RolloutException("cannot " + action + " the rollout to " + to.hash() + ": it is " + state);
        }
    }

    // ---- what it counts ----

    /**
     * {@code available} replicas of the new revision are available now, of {@code total} desired.
     * While the rollout goes on, a change is reported and a rise counts as progress (the deadline
     * starts again); after it ended the count only follows.
     */
    void available(int available, int total) {
        if (available == updated) {
            return;
        }
        boolean rise = available > updated;
        updated = available;
        if (state == State.PROGRESSING || state == State.PAUSED) {
            if (rise) {
                progressAtNanos = control.nanos();
            }
            control.emit(new OrchestratorEvent.RolloutProgressed(control.now(), control.service(), from.hash(),
                    to.hash(), available, total));
        }
    }

    /** A replica of the new revision in slot {@code port} failed; returns the slot's failures in this rollout. */
    int failed(int port) {
        return failures.merge(port, 1, Integer::sum);
    }

    /** When a new replica last became available (or the rollout began or resumed). */
    long progressAtNanos() {
        return progressAtNanos;
    }

    // ---- reading ----

    State state() {
        return state;
    }

    boolean is(State expected) {
        return state == expected;
    }

    Revision from() {
        return from;
    }

    Revision to() {
        return to;
    }

    RolloutStatus status(int total) {
        return new RolloutStatus(state, from.hash(), to.hash(), updated, total, reason);
    }

    @Override
    public String toString() {
        return "rollout " + from + " -> " + to + " " + state;
    }
}
