package io.longshore.core.internal;

import io.longshore.api.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Counts requests and sums latencies per second over the last {@link #MAX_WINDOW}, so that
 * scaling policies can read "requests in the last two minutes" or "mean latency in the last
 * minute". Resolution is one second: a window covers the seconds it touches, the partial
 * first and current ones included. Thread-safe and lock-free.
 */
final class RequestMeter {
    /** The longest window a query can cover; longer ones are cut to it. */
    static final Duration MAX_WINDOW = Duration.ofMinutes(15);
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final int SLOTS = (int) MAX_WINDOW.toSeconds() + 4;

    private final Clock clock;
    private final long originNanos;
    private final SecondBuckets requests = new SecondBuckets(SLOTS);
    private final SecondBuckets completions = new SecondBuckets(SLOTS);
    private final SecondBuckets latencyMicros = new SecondBuckets(SLOTS);

    RequestMeter(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.originNanos = clock.nanoTime();
    }

    void markRequest(long nowNanos) {
        requests.add(second(nowNanos), 1);
    }

    void markCompletion(long nowNanos, long latencyNanos) {
        long second = second(nowNanos);
        completions.add(second, 1);
        latencyMicros.add(second, Math.max(0, latencyNanos) / 1_000);
    }

    /** Requests routed within the last {@code window}. */
    long requestCount(Duration window) {
        long now = clock.nanoTime();
        return requests.sum(second(now - clamp(window)), second(now));
    }

    /** Requests per second within the last {@code window}. */
    double requestRate(Duration window) {
        long nanos = clamp(window);
        double seconds = Math.max(1.0, nanos / (double) NANOS_PER_SECOND);
        return requestCount(window) / seconds;
    }

    /** Mean latency in milliseconds of the requests completed within {@code window}, NaN if none. */
    double meanLatencyMillis(Duration window) {
        long now = clock.nanoTime();
        long from = second(now - clamp(window));
        long to = second(now);
        long count = completions.sum(from, to);
        return count == 0 ? Double.NaN : latencyMicros.sum(from, to) / 1_000.0 / count;
    }

    private static long clamp(Duration window) {
        Objects.requireNonNull(window, "window");
        if (window.isNegative()) {
            throw new IllegalArgumentException("window must not be negative, was " + window);
        }
        return window.compareTo(MAX_WINDOW) > 0 ? MAX_WINDOW.toNanos() : window.toNanos();
    }

    private long second(long nanos) {
        return Math.max(0, nanos - originNanos) / NANOS_PER_SECOND;
    }
}
