package io.longshore.api;

import java.time.Duration;

/**
 * Read-only load figures of a service, as a scaling policy sees them. Implementations are
 * thread-safe; tests may pass a lambda.
 */
@FunctionalInterface
public interface LoadMetrics {
    /**
     * The longest window the orchestrator's router measures: a longer one reads as this long, so
     * a policy's window should not exceed it.
     */
    Duration MAX_WINDOW = Duration.ofMinutes(15);

    /** The value of {@code metric} over the last {@code window}. */
    double value(Metric metric, Duration window);

    /** Requests routed within the last {@code window}. */
    default long requestCount(Duration window) {
        return (long) value(Metric.REQUEST_COUNT, window);
    }

    /** Requests per second within the last {@code window}. */
    default double requestRate(Duration window) {
        return value(Metric.REQUEST_RATE, window);
    }

    /** Requests in flight now. */
    default int inFlight() {
        return (int) value(Metric.IN_FLIGHT, Duration.ZERO);
    }

    /** The time-weighted mean of requests in flight over the last {@code window} ({@link Metric#CONCURRENCY}). */
    default double concurrency(Duration window) {
        return value(Metric.CONCURRENCY, window);
    }

    /** The time-weighted mean of requests waiting in a gateway's line over the last {@code window} ({@link Metric#WAITING}). */
    default double waiting(Duration window) {
        return value(Metric.WAITING, window);
    }
}
