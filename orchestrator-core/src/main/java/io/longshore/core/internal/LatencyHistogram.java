package io.longshore.core.internal;

import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Response latencies per one-second slice over the last {@link #MAX_WINDOW_SECONDS}, in fixed
 * log-linear buckets (eight per power of two of microseconds, exact below 8 µs; about 6 %
 * error, up to 71 minutes), so that recording is one bucket index computation and one atomic
 * add, allocating nothing, and a quantile over any window within the ring is a merge of its
 * slices' buckets. Thread-safe and lock-free for writers.
 */
final class LatencyHistogram implements SliceStamps.Row {
    /** The longest window a quantile covers; longer ones are cut to it. */
    static final int MAX_WINDOW_SECONDS = 300;
    static final int SUB_BUCKETS = 8;
    private static final int SUB_BITS = 3;
    private static final int MAX_EXPONENT = 31;
    static final int BUCKETS = SUB_BUCKETS + (MAX_EXPONENT - SUB_BITS + 1) * SUB_BUCKETS;
    private static final long MAX_MICROS = (1L << (MAX_EXPONENT + 1)) - 1;

    private final SliceStamps stamps;
    private final AtomicIntegerArray counts;

    LatencyHistogram() {
        int slots = MAX_WINDOW_SECONDS + 4;
        this.counts = new AtomicIntegerArray(slots * BUCKETS);
        this.stamps = new SliceStamps(slots, this);
    }

    /** Counts a latency of {@code nanos} in {@code slice}. */
    void record(long slice, long nanos) {
        int answer = stamps.slot(slice);
        if (answer != SliceStamps.TOO_OLD) {
            counts.getAndIncrement(SliceStamps.index(answer) * BUCKETS + bucket(nanos));
        }
    }

    @Override
    public void reset(int slot) {
        int base = slot * BUCKETS;
        for (int i = 0; i < BUCKETS; i++) {
            counts.set(base + i, 0);
        }
    }

    /**
     * The {@code q} quantile (0..1) in nanoseconds of the latencies recorded in slices
     * {@code from..to} (within the ring), NaN when there are none.
     */
    double quantileNanos(double q, long from, long to) {
        long first = Math.max(Math.max(0, from), to - MAX_WINDOW_SECONDS);
        long[] merged = new long[BUCKETS];
        long total = 0;
        for (long slice = first; slice <= to; slice++) {
            if (!stamps.holds(slice)) {
                continue;
            }
            int base = stamps.indexOf(slice) * BUCKETS;
            for (int b = 0; b < BUCKETS; b++) {
                int n = counts.get(base + b);
                merged[b] += n;
                total += n;
            }
        }
        if (total == 0) {
            return Double.NaN;
        }
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int b = 0; b < BUCKETS; b++) {
            seen += merged[b];
            if (seen >= rank) {
                return middleMicros(b) * 1_000.0;
            }
        }
        return middleMicros(BUCKETS - 1) * 1_000.0;
    }

    /** The bucket of a latency: its microseconds below 8 as they are, then 8 buckets per power of two. */
    static int bucket(long nanos) {
        long micros = Math.min(MAX_MICROS, Math.max(0, nanos) / 1_000);
        if (micros < SUB_BUCKETS) {
            return (int) micros;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(micros);
        int sub = (int) (micros >>> (exponent - SUB_BITS)) & (SUB_BUCKETS - 1);
        return SUB_BUCKETS + (exponent - SUB_BITS) * SUB_BUCKETS + sub;
    }

    /** The middle of a bucket's range, in microseconds. */
    static double middleMicros(int bucket) {
        if (bucket < SUB_BUCKETS) {
            return bucket;
        }
        int exponent = (bucket - SUB_BUCKETS) / SUB_BUCKETS + SUB_BITS;
        int sub = (bucket - SUB_BUCKETS) % SUB_BUCKETS;
        long width = 1L << (exponent - SUB_BITS);
        long low = (long) (SUB_BUCKETS + sub) * width;
        return low + (width - 1) / 2.0;
    }
}
