package io.longshore.api;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Consistent hashing with bounded loads: a request's key picks the first point at or after its
 * hash on the {@link HashRing}; with a finite balance factor ε, a candidate that would carry more
 * than its capacity after taking the request is passed over for the owner of the next point
 * (Mirrokni, Thorup and Zadimoghaddam). Capacity is {@code (1 + ε)} times the candidate's
 * weighted share of the requests in flight (this one included), rounded down, but never below
 * the share rounded up, so the capacities always hold every request. The sum of requests in
 * flight is read only when the key's own candidate is busy. Requests without a key hash a
 * counter instead. Thread-safe and allocation-free per pick.
 */
final class ConsistentHashStrategy implements LoadBalancingStrategy {
    private final HashKey key;
    private final double balanceFactor;
    private final PerCandidates<HashRing> rings = new PerCandidates<>(HashRing::of);
    private final AtomicLong keyless = new AtomicLong();

    ConsistentHashStrategy(HashKey key, double balanceFactor) {
        this.key = key;
        this.balanceFactor = balanceFactor;
    }

    @Override
    public int choose(List<Backend> candidates, RouteRequest request) {
        return chooseExcept(candidates, request, TwoChoices.NO_EXCLUSION);
    }

    @Override
    public int chooseExcept(List<Backend> candidates, RouteRequest request, int excluded) {
        int size = candidates.size();
        int available = TwoChoices.available(size, excluded);
        if (available <= 1) {
            return available == 0 ? NONE : TwoChoices.onlyOther(size, excluded);
        }
        HashRing ring = rings.of(candidates);
        CharSequence value = key.of(request);
        long hash = value == null ? KeyHash.mix(keyless.getAndIncrement() * KeyHash.GOLDEN) : KeyHash.of(value);
        return walk(ring, candidates, ring.firstPoint(hash), excluded);
    }

    /** From {@code point} on, the first owner that is not excluded and has room. */
    private int walk(HashRing ring, List<Backend> candidates, int point, int excluded) {
        int first = -1;
        long inFlight = -1;
        for (int step = 0; step < ring.size(); step++) {
            int owner = ring.owner(point + step);
            if (owner == excluded) {
                continue;
            }
            if (first < 0) {
                first = owner;
            }
            int load = candidates.get(owner).inFlight();
            if (load == 0 || balanceFactor == Double.POSITIVE_INFINITY) {
                return owner;
            }
            if (inFlight < 0) {
                inFlight = totalInFlight(candidates);
            }
            if (load + 1 <= capacity(ring.share(owner), inFlight + 1)) {
                return owner;
            }
        }
        return first; // every candidate was full, which the capacities rule out but for racing loads
    }

    /** How many requests a candidate with {@code share} of the weight may carry out of {@code requests}. */
    private long capacity(double share, long requests) {
        double fair = share * requests;
        return Math.max((long) Math.ceil(fair), (long) Math.floor((1 + balanceFactor) * fair));
    }

    private static long totalInFlight(List<Backend> candidates) {
        long total = 0;
        for (int i = 0; i < candidates.size(); i++) {
            total += candidates.get(i).inFlight();
        }
        return total;
    }

    @Override
    public String toString() {
        return "hash:" + key;
    }
}
