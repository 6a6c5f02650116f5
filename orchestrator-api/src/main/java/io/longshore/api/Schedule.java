package io.longshore.api;

import java.util.List;

/**
 * Weighted round robin's order for one candidate list: {@code null} slots (plain rotation) when
 * the weights are equal, else one cycle of an earliest-deadline-first schedule (Envoy's), each
 * candidate's k-th turn due at {@code (k + 1/2) / weight} so that turns interleave smoothly.
 * Whole weights get their exact cycle (the sum of the weights over their greatest common
 * divisor, up to {@link #MAX_SLOTS}); other weights (slow start) a cycle long enough that the
 * lightest candidate has {@link #MIN_TURNS} turns in it, each candidate within one turn of its
 * share. Immutable.
 */
final class Schedule {
    /** The longest cycle kept: 256 KiB. */
    static final int MAX_SLOTS = 1 << 16;
    /** Turns the lightest candidate gets in a cycle of fractional weights. */
    static final int MIN_TURNS = 20;

    private final int size;
    private final int[] slots;

    private Schedule(int size, int[] slots) {
        this.size = size;
        this.slots = slots;
    }

    static Schedule of(Schedule previous, List<Backend> candidates) {
        double[] weights = Weights.effective(candidates);
        if (Weights.allEqual(weights)) {
            return new Schedule(weights.length, null);
        }
        return new Schedule(weights.length, DeadlineHeap.cycle(weights, cycleLength(weights)));
    }

    /** The candidate at turn {@code counter} (any int, the sequence wraps). */
    int at(int counter) {
        return slots == null ? Math.floorMod(counter, size) : slots[Math.floorMod(counter, slots.length)];
    }

    private static int cycleLength(double[] weights) {
        long exact = exactCycle(weights);
        if (exact > 0 && exact <= MAX_SLOTS) {
            return (int) exact;
        }
        double min = Double.MAX_VALUE;
        for (double weight : weights) {
            min = Math.min(min, weight);
        }
        double wanted = Math.ceil(MIN_TURNS * Weights.sum(weights) / min);
        return (int) Math.max(weights.length, Math.min(MAX_SLOTS, wanted));
    }

    /** Σ weights / their gcd when every weight is a whole number (small enough), else -1. */
    private static long exactCycle(double[] weights) {
        long gcd = 0;
        for (double weight : weights) {
            if (weight != Math.rint(weight) || weight > MAX_SLOTS) {
                return -1;
            }
            gcd = gcd((long) weight, gcd);
        }
        long sum = 0;
        for (double weight : weights) {
            sum += (long) weight / gcd;
        }
        return sum;
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
