package io.longshore.api;

import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/** A uniformly random candidate. As thread-safe as the generator it is given. */
final class RandomStrategy implements LoadBalancingStrategy {
    private final RandomGenerator random;

    RandomStrategy(RandomGenerator random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    @Override
    public int choose(List<Backend> candidates, RouteRequest request) {
        int size = candidates.size();
        return size == 0 ? NONE : random.nextInt(size);
    }

    @Override
    public String toString() {
        return "random";
    }
}
