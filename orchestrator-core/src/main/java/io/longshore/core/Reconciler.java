package io.longshore.core;

import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * Brings the replicas to the rollouts' plan for the desired count, and after each batch of loop
 * tasks lets the latest rollout look at them ({@link #settle}), reconciling while one goes on.
 * Never re-entrant: a replica a plan takes away can leave the table at once (one in backoff), and
 * a pass run from inside would start replicas the outer, older plan then starts again, beyond the
 * surge. Such a request runs as a new pass after the one under way. Loop only; not thread-safe.
 */
final class Reconciler {
    private final Rollouts rollouts;
    private final IntSupplier desired;
    private final BooleanSupplier active;
    private final Consumer<RolloutPlanner.Plan> carryOut;
    /** Whether a pass is under way (a replica it takes away may ask for another). */
    private boolean reconciling;
    /** Whether a pass was asked for during the one under way: it runs once that one is done. */
    private boolean again;

    /**
     * @param active   whether plans are carried out: the loop runs and does not close
     * @param carryOut carries out a fresh plan
     */
    Reconciler(Rollouts rollouts, IntSupplier desired, BooleanSupplier active, Consumer<RolloutPlanner.Plan> carryOut) {
        this.rollouts = rollouts;
        this.desired = desired;
        this.active = active;
        this.carryOut = carryOut;
    }

    /** Carries out a fresh plan; from inside a pass, once more after it. */
    void reconcile() {
        if (reconciling) {
            again = true;
            return;
        }
        reconciling = true;
        try {
            do {
                again = false;
                if (active.getAsBoolean()) {
                    carryOut.accept(rollouts.plan(desired.getAsInt()));
                }
            } while (again);
        } finally {
            reconciling = false;
        }
    }

    /** After a batch of tasks: the latest rollout looks at the replicas; while one goes on, they are reconciled. */
    void settle() {
        if (!active.getAsBoolean() || !rollouts.any()) {
            return;
        }
        rollouts.observe(desired.getAsInt());
        if (rollouts.unsettled()) {
            reconcile();
        }
    }
}
