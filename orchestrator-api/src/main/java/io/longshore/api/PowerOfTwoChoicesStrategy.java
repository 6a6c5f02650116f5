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
        return chooseExcept(candidates, request, TwoChoices.NO_EXCLUSION);
    }

    @Override
    public int chooseExcept(List<Backend> candidates, RouteRequest request, int excluded) {
        int size = candidates.size();
        int available = TwoChoices.available(size, excluded);
        if (available <= 1) {
            return available == 0 ? NONE : TwoChoices.onlyOther(size, excluded);
        }
        long draw = TwoChoices.draw(random, size, excluded);
        int first = TwoChoices.first(draw);
        int second = TwoChoices.second(draw);
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
