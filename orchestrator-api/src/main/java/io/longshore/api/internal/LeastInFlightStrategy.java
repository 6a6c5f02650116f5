package io.longshore.api.internal;

import io.longshore.api.Backend;
import io.longshore.api.LoadBalancingStrategy;
import io.longshore.api.RouteRequest;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The candidate with the fewest requests in flight. The scan starts at a rotating offset so
 * that ties are spread round robin instead of piling onto the first candidate. Thread-safe.
 */
public final class LeastInFlightStrategy implements LoadBalancingStrategy {
    private final AtomicInteger offset = new AtomicInteger();

    @Override
    public Optional<Backend> choose(List<Backend> candidates, RouteRequest request) {
        int size = candidates.size();
        if (size == 0) {
            return Optional.empty();
        }
        int start = Math.floorMod(offset.getAndIncrement(), size);
        Backend best = null;
        int bestLoad = Integer.MAX_VALUE;
        for (int i = 0; i < size; i++) {
            Backend candidate = candidates.get((start + i) % size);
            int load = candidate.inFlight();
            if (load < bestLoad) {
                best = candidate;
                bestLoad = load;
            }
        }
        return best.asChoice();
    }

    @Override
    public String toString() {
        return "least-in-flight";
    }
}
