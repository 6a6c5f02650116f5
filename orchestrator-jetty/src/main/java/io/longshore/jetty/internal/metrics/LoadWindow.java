package io.longshore.jetty.internal.metrics;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The recent load of one replica as the gateway saw it: attempts per second and a latency
 * histogram of the answered ones, over the last {@value #SECONDS} seconds (the current, partial
 * second included), in one-second slots. Latencies fall into log-linear buckets (exact below
 * 8 µs, then four per power of two), so a quantile is the midpoint of its bucket and within
 * 12.5 % of the true value. Recording is a few atomic adds and allocates nothing; a slot left
 * over from an earlier lap of the ring is restarted by the first recorder of its new second (a
 * sample that races with that restart may be lost: these are figures to look at, not to bill
 * by). Thread-safe and lock-free.
 */
public final class LoadWindow {
    /** The window the figures cover, in seconds. */
    public static final int SECONDS = 10;
    /** Buckets: 8 exact ones for 0..7 µs, then 4 per power of two up to 2^37 µs (38 hours; longer counts as that). */
    static final int BUCKETS = 8 + 34 * 4;
    private static final int SLOTS = SECONDS + 2;
    private static final int STRIDE = BUCKETS + 1; // [0] = attempts, [1 + b] = answers in bucket b
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final int MAX_EXPONENT = 37;

    private final AtomicLongArray stamps = new AtomicLongArray(SLOTS);
    private final AtomicLongArray counts = new AtomicLongArray(SLOTS * STRIDE);

    public LoadWindow() {
        for (int i = 0; i < SLOTS; i++) {
            stamps.set(i, Long.MIN_VALUE);
        }
    }

    /**
     * One attempt ended at {@code endNanos} (the gateway clock); {@code answered} says whether the
     * replica answered, and then {@code latencyNanos} is how long it took.
     */
    public void record(long endNanos, long latencyNanos, boolean answered) {
        long second = Math.floorDiv(endNanos, NANOS_PER_SECOND);
        int slot = (int) Math.floorMod(second, (long) SLOTS);
        long stamp = stamps.get(slot);
        if (stamp != second) {
            if (stamp > second) {
                return; // a straggler from a second the ring has already left behind
            }
            if (stamps.compareAndSet(slot, stamp, second)) {
                for (int i = slot * STRIDE; i < (slot + 1) * STRIDE; i++) {
                    counts.set(i, 0);
                }
            }
        }
        counts.incrementAndGet(slot * STRIDE);
        if (answered) {
            counts.incrementAndGet(slot * STRIDE + 1 + bucket(Math.max(0, latencyNanos) / 1_000));
        }
    }

    /** The figures of the window that ends at {@code nowNanos}. */
    public Load read(long nowNanos) {
        long current = Math.floorDiv(nowNanos, NANOS_PER_SECOND);
        long[] histogram = new long[BUCKETS];
        long attempts = 0;
        for (long second = current - SECONDS + 1; second <= current; second++) {
            int slot = (int) Math.floorMod(second, (long) SLOTS);
            if (stamps.get(slot) != second) {
                continue;
            }
            attempts += counts.get(slot * STRIDE);
            for (int b = 0; b < BUCKETS; b++) {
                histogram[b] += counts.get(slot * STRIDE + 1 + b);
            }
        }
        double elapsed = (SECONDS - 1) + Math.floorMod(nowNanos, NANOS_PER_SECOND) / (double) NANOS_PER_SECOND;
        return new Load(attempts / elapsed, quantileMillis(histogram, 0.5), quantileMillis(histogram, 0.99));
    }

    /** The bucket of a latency in microseconds. */
    static int bucket(long micros) {
        if (micros < 8) {
            return (int) micros;
        }
        if (micros >= 1L << MAX_EXPONENT) {
            return BUCKETS - 1;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(micros);
        int sub = (int) ((micros >>> (exponent - 2)) & 3);
        return 8 + (exponent - 3) * 4 + sub;
    }

    /** The midpoint of a bucket, in microseconds. */
    static double midpointMicros(int bucket) {
        if (bucket < 8) {
            return bucket;
        }
        int exponent = (bucket - 8) / 4 + 3;
        int sub = (bucket - 8) % 4;
        long width = 1L << (exponent - 2);
        return (4 + sub) * (double) width + width / 2.0;
    }

    /** The midpoint of the bucket holding quantile {@code q}, in milliseconds; NaN when the histogram is empty. */
    static double quantileMillis(long[] histogram, double q) {
        long total = 0;
        for (long count : histogram) {
            total += count;
        }
        if (total == 0) {
            return Double.NaN;
        }
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int b = 0; b < histogram.length; b++) {
            seen += histogram[b];
            if (seen >= rank) {
                return midpointMicros(b) / 1_000.0;
            }
        }
        return midpointMicros(histogram.length - 1) / 1_000.0;
    }

    /**
     * One replica's recent load.
     *
     * @param requestsPerSecond attempts per second over the window (answered or not)
     * @param p50Millis         median latency of the answered attempts, NaN when none
     * @param p99Millis         99th percentile latency of the answered attempts, NaN when none
     */
    public record Load(double requestsPerSecond, double p50Millis, double p99Millis) {
        /** No request in the window. */
        public static final Load NONE = new Load(0, Double.NaN, Double.NaN);
    }
}
