package io.longshore.api;

import java.time.Instant;

/**
 * The source of time for an orchestrator, its router and its probes. Tests pass a manual
 * clock and advance it; production uses {@link #system()}. Implementations are thread-safe.
 */
public interface Clock {

    /** Monotonic nanoseconds, for measuring intervals only. */
    long nanoTime();

    /** Wall-clock time, for events and timestamps. */
    Instant instant();

    /** The system clock. */
    static Clock system() {
        return SystemClock.INSTANCE;
    }
}
