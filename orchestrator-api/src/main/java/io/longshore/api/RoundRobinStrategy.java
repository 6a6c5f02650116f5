package io.longshore.api;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Each candidate in turn. Thread-safe and allocation-free: one atomic counter. */
final class RoundRobinStrategy implements LoadBalancingStrategy {
    private final AtomicInteger next = new AtomicInteger();

    @Override
    public int choose(List<Backend> candidates, RouteRequest request) {
        int size = candidates.size();
        return size == 0 ? NONE : Math.floorMod(next.getAndIncrement(), size);
    }

    @Override
    public String toString() {
        return "round-robin";
    }
}
