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
    public int chooseExcept(List<Backend> candidates, RouteRequest request, int excluded) {
        int size = candidates.size();
        if (excluded < 0 || excluded >= size) {
            return choose(candidates, request);
        }
        if (size == 1) {
            return NONE;
        }
        int picked = random.nextInt(size - 1);
        return picked >= excluded ? picked + 1 : picked;
    }

    @Override
    public String toString() {
        return "random";
    }
}
