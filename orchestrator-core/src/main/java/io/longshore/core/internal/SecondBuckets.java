package io.longshore.core.internal;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A ring of per-second counters. Each slot packs the second it counts (high 32 bits) with
 * its count (low 32 bits) into one long, so adding is one compare-and-set and a slot left
 * over from an older lap of the ring is recognised and restarted without a lock.
 * Thread-safe and lock-free.
 */
final class SecondBuckets {
    private static final long COUNT_MASK = 0xFFFF_FFFFL;

    private final AtomicLongArray slots;
    private final int size;

    SecondBuckets(int size) {
        this.size = size;
        this.slots = new AtomicLongArray(size);
        for (int i = 0; i < size; i++) {
            slots.set(i, pack(-1, 0));
        }
    }

    int size() {
        return size;
    }

    /** Adds {@code delta} (&gt;= 0) to the count of {@code second} (&gt;= 0). */
    void add(long second, long delta) {
        int index = (int) (second % size);
        long stamp = second & COUNT_MASK;
        while (true) {
            long current = slots.get(index);
            long count = (current >>> 32) == stamp ? current & COUNT_MASK : 0;
            long next = pack(stamp, Math.min(COUNT_MASK, count + delta));
            if (slots.compareAndSet(index, current, next)) {
                return;
            }
        }
    }

    /** The sum of the counts of seconds {@code from..to}, both included; at most the ring's length. */
    long sum(long from, long to) {
        long total = 0;
        long first = Math.max(Math.max(0, from), to - size + 1);
        for (long second = first; second <= to; second++) {
            long slot = slots.get((int) (second % size));
            if ((slot >>> 32) == (second & COUNT_MASK)) {
                total += slot & COUNT_MASK;
            }
        }
        return total;
    }

    private static long pack(long second, long count) {
        return (second << 32) | (count & COUNT_MASK);
    }
}
