package io.longshore.api;

import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Two distinct random candidates, the one with fewer requests in flight wins (latency EWMA
 * breaks ties). As thread-safe as the generator it is given.
 */
final class PowerOfTwoChoicesStrategy implements LoadBalancingStrategy {
    private final RandomGenerator random;

    PowerOfTwoChoicesStrategy(RandomGenerator random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    @Override
    public int choose(List<Backend> candidates, RouteRequest request) {
        int size = candidates.size();
        if (size <= 1) {
            return size == 0 ? NONE : 0;
        }
        int first = random.nextInt(size);
        int second = random.nextInt(size - 1);
        if (second >= first) {
            second++;
        }
        return lighter(candidates.get(first), candidates.get(second)) ? first : second;
    }

    /** Whether {@code a} is at most as loaded as {@code b}: fewer in flight, else no slower. */
    private static boolean lighter(Backend a, Backend b) {
        int byLoad = Integer.compare(a.inFlight(), b.inFlight());
        if (byLoad != 0) {
            return byLoad < 0;
        }
        return a.latencyEwmaNanos() <= b.latencyEwmaNanos();
    }

    @Override
    public String toString() {
        return "power-of-two-choices";
    }
}
