package io.longshore.api;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The candidate with the fewest requests in flight. Ties are spread evenly: a rotating
 * counter picks the n-th of the k tied candidates, so each gets 1/k of the tied picks.
 * Two scans, no allocation. Thread-safe.
 */
final class LeastInFlightStrategy implements LoadBalancingStrategy {
    private final AtomicInteger turn = new AtomicInteger();

    @Override
    public int choose(List<Backend> candidates, RouteRequest request) {
        return chooseExcept(candidates, request, TwoChoices.NO_EXCLUSION);
    }

    @Override
    public int chooseExcept(List<Backend> candidates, RouteRequest request, int excluded) {
        int size = candidates.size();
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
