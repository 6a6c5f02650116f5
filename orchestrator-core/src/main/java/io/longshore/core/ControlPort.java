package io.longshore.core;

import io.longshore.api.Clock;
import io.longshore.api.OrchestratorEvent;
import io.longshore.api.Scheduler.Cancellable;
import java.time.Duration;
import java.time.Instant;

/**
 * What the control loop lends its collaborators (lifecycle, adoption, probes, scaling ticker,
 * ejector) and its replicas: a way onto the loop, a way off it, the event sink and the clock.
 * They hold this and the replica table, never the loop itself. {@link #post}, {@link #submit}
 * and {@link #later} may be called from any thread; everything else only on the loop.
 */
interface ControlPort {

    /** The service the loop runs, for events and logs. */
    String service();

    Clock clock();

    default Instant now() {
        return clock().instant();
    }

    default long nanos() {
        return clock().nanoTime();
    }

    /** Runs {@code task} on the loop as soon as it is free. Any thread. */
    default void post(Runnable task) {
        submit(task);
    }

    /**
     * Like {@link #post}; returns false when the loop refused the task (its scheduler is shut
     * down), for an answer that must not be lost: a container started, which the caller then
     * stops itself. Any thread.
     */
    boolean submit(Runnable task);

    /** Runs {@code task} on the loop after {@code delay}. Any thread. */
    Cancellable later(Duration delay, Runnable task);

    /** Runs blocking work (a runtime call) off the loop; it posts its result back. */
    void offLoop(Runnable work);

    /** Tells the listeners and the event log. */
    void emit(OrchestratorEvent event);

    /** Tells the listeners only: the event is not kept among the recent events (a scaling decision that changed nothing). */
    default void tell(OrchestratorEvent event) {
        emit(event);
    }

    /** The most requests each replica takes at once (its container concurrency), 0 for no limit. */
    default int containerConcurrency() {
        return 0;
    }

    /** Reports a failure of user code (probe, policy), rate-limited, as an event and a log line. */
    void userCodeFailed(String component, String error);

    /**
     * Publishes the routing snapshot now instead of after the current task, for a change that
     * must be visible to the router before the task goes on (a drain reads the in-flight count
     * only once the replica is unrouted).
     */
    void publishRouting();
}
