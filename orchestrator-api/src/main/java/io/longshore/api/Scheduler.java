package io.longshore.api;

import java.time.Duration;

/**
 * Runs the control loop's tasks one at a time, in order of due time. An orchestrator's
 * whole mutable state is touched only from tasks of its scheduler, so it needs no locks.
 * {@link #schedule} and {@link #execute} may be called from any thread; tasks never run
 * concurrently with each other.
 */
public interface Scheduler {

    /** Runs {@code task} once after {@code delay}. */
    Cancellable schedule(Runnable task, Duration delay);

    /** Runs {@code task} as soon as the loop is free. */
    default void execute(Runnable task) {
        schedule(task, Duration.ZERO);
    }

    /** A scheduled task that can be called off. */
    @FunctionalInterface
    interface Cancellable {
        /** Stops the task from running if it has not started; idempotent. */
        void cancel();
    }
}
