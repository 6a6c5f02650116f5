package io.longshore.api.internal;

import io.longshore.api.Backend;
import io.longshore.api.LoadBalancingStrategy;
import io.longshore.api.RouteRequest;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** Each candidate in turn. Thread-safe and allocation-free: one atomic counter. */
public final class RoundRobinStrategy implements LoadBalancingStrategy {
    private final AtomicInteger next = new AtomicInteger();

    @Override
    public Optional<Backend> choose(List<Backend> candidates, RouteRequest request) {
        int size = candidates.size();
        if (size == 0) {
            return Optional.empty();
        }
        int index = Math.floorMod(next.getAndIncrement(), size);
        return candidates.get(index).asChoice();
    }

    @Override
    public String toString() {
        return "round-robin";
    }
}
