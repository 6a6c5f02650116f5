package io.longshore.api;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The candidate with the fewest requests in flight. Ties are spread evenly: a rotating
 * counter picks the n-th of the k tied candidates, so each gets 1/k of the tied picks.
 * Up to {@value #MASKED} candidates take one scan, the tied positions kept as bits in two
 * longs; more take a second scan to find the n-th tie. No allocation. Thread-safe.
 */
final class LeastInFlightStrategy implements LoadBalancingStrategy {
    /** The most candidates whose ties fit the two 64-bit masks of the one-scan path. */
    static final int MASKED = 128;

    private final AtomicInteger turn = new AtomicInteger();

    @Override
    public int choose(List<Backend> candidates, RouteRequest request) {
        return chooseExcept(candidates, request, TwoChoices.NO_EXCLUSION);
    }

    @Override
    public int chooseExcept(List<Backend> candidates, RouteRequest request, int excluded) {
        int size = candidates.size();
        return size <= MASKED ? oneScan(candidates, size, excluded) : twoScans(candidates, size, excluded);
    }

    private int oneScan(List<Backend> candidates, int size, int excluded) {
        int least = Integer.MAX_VALUE;
        long low = 0; // tied positions 0..63
        long high = 0; // tied positions 64..127
        for (int i = 0; i < size; i++) {
            if (i == excluded) {
                continue;
            }
            int load = candidates.get(i).inFlight();
            if (load < least) {
                least = load;
                low = 0;
                high = 0;
            }
            if (load == least) {
                if (i < 64) {
                    low |= 1L << i;
                } else {
                    high |= 1L << (i - 64);
                }
            }
        }
        int ties = Long.bitCount(low) + Long.bitCount(high);
        if (ties == 0) {
            return NONE;
        }
        int wanted = Math.floorMod(turn.getAndIncrement(), ties);
        int inLow = Long.bitCount(low);
        return wanted < inLow ? nthSetBit(low, wanted) : 64 + nthSetBit(high, wanted - inLow);
    }

    /** The position of the {@code n}-th (from 0) set bit of {@code bits}, which has more than n. */
    private static int nthSetBit(long bits, int n) {
        long rest = bits;
        for (int skipped = 0; skipped < n; skipped++) {
            rest &= rest - 1; // clear the lowest set bit
        }
        return Long.numberOfTrailingZeros(rest);
    }

    private int twoScans(List<Backend> candidates, int size, int excluded) {
        int least = Integer.MAX_VALUE;
        int ties = 0;
        for (int i = 0; i < size; i++) {
            int load = i == excluded ? Integer.MAX_VALUE : candidates.get(i).inFlight();
            if (load < least) {
                least = load;
                ties = 1;
            } else if (load == least && load != Integer.MAX_VALUE) {
                ties++;
            }
        }
        if (ties == 0) {
            return NONE;
        }
        int wanted = Math.floorMod(turn.getAndIncrement(), ties);
        for (int i = 0; i < size; i++) {
            if (i != excluded && candidates.get(i).inFlight() == least && wanted-- == 0) {
                return i;
            }
        }
        // loads moved between the scans: the first other candidate is as good an answer
        return excluded == 0 ? 1 : 0;
    }

    @Override
    public String toString() {
        return "least-in-flight";
    }
}
