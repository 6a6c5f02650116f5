package io.longshore.api.internal;

import io.longshore.api.Backend;
import io.longshore.api.LoadBalancingStrategy;
import io.longshore.api.RouteRequest;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Two distinct random candidates, the one with fewer requests in flight wins (latency EWMA
 * breaks ties). As thread-safe as the generator it is given.
 */
public final class PowerOfTwoChoicesStrategy implements LoadBalancingStrategy {
    private final RandomGenerator random;

    public PowerOfTwoChoicesStrategy(RandomGenerator random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    @Override
    public Optional<Backend> choose(List<Backend> candidates, RouteRequest request) {
        int size = candidates.size();
        if (size == 0) {
            return Optional.empty();
        }
        if (size == 1) {
            return candidates.get(0).asChoice();
        }
        int first = random.nextInt(size);
        int second = random.nextInt(size - 1);
        if (second >= first) {
            second++;
        }
        Backend a = candidates.get(first);
        Backend b = candidates.get(second);
        return lighter(a, b).asChoice();
    }

    private static Backend lighter(Backend a, Backend b) {
        int byLoad = Integer.compare(a.inFlight(), b.inFlight());
        if (byLoad != 0) {
            return byLoad < 0 ? a : b;
        }
        return a.latencyEwmaNanos() <= b.latencyEwmaNanos() ? a : b;
    }

    @Override
    public String toString() {
        return "power-of-two-choices";
    }
}
