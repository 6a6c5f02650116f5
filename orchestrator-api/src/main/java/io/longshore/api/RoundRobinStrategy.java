package io.longshore.api;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Each candidate in turn, in proportion to its weight: one atomic counter walks the
 * {@link Schedule} of the current candidate list (plain rotation for equal weights). Thread-safe
 * and allocation-free per pick.
 */
final class RoundRobinStrategy implements LoadBalancingStrategy {
    /** Turns a retry may take to get past the excluded candidate before taking its neighbour. */
    private static final int RETRY_TURNS = 8;

    private final AtomicInteger next = new AtomicInteger();
    private final PerCandidates<Schedule> schedules = new PerCandidates<>(Schedule::of);

    @Override
    public int choose(List<Backend> candidates, RouteRequest request) {
        if (candidates.isEmpty()) {
            return NONE;
        }
        return schedules.of(candidates).at(next.getAndIncrement());
    }

    @Override
    public int chooseExcept(List<Backend> candidates, RouteRequest request, int excluded) {
        int size = candidates.size();
        if (excluded < 0 || excluded >= size) {
            return choose(candidates, request);
        }
        if (size == 1) {
            return NONE;
        }
        Schedule schedule = schedules.of(candidates);
        for (int turn = 0; turn < RETRY_TURNS; turn++) {
            int picked = schedule.at(next.getAndIncrement());
            if (picked != excluded) {
                return picked;
            }
        }
        return (excluded + 1) % size;
    }

    @Override
    public String toString() {
        return "round-robin";
    }
}
