package io.longshore.core;

import java.time.Duration;
import java.util.Objects;

/**
 * Why a replica leaves and what follows: whether a new replica takes its port (a replacement)
 * or the port is freed (a removal), whether it drains and stops with the spec's stop grace
 * first (graceful) or is stopped at once without grace, and how long the replacement waits.
 * Immutable.
 *
 * @param replace      whether a new replica starts on its port once it has stopped
 * @param reason       for events and logs
 * @param graceful     drain, then stop with the spec's stop grace; otherwise stop at once with none
 * @param restartDelay how long the replacement waits (restart backoff); zero for a removal
 */
record Departure(boolean replace, String reason, boolean graceful, Duration restartDelay) {
    Departure {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(restartDelay, "restartDelay");
    }

    /** Scale-in or shutdown: drained, stopped gracefully, its port freed. */
    static Departure remove(String reason) {
        return new Departure(false, reason, true, Duration.ZERO);
    }

    /** A new replica takes its port after {@code delay}. */
    static Departure replace(String reason, boolean graceful, Duration delay) {
        return new Departure(true, reason, graceful, delay);
    }

    /** This departure without the replacement (a scale-in or shutdown overtook it). */
    Departure withoutReplacement() {
        return new Departure(false, reason, graceful, Duration.ZERO);
    }
}
