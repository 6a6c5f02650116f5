package io.longshore.api.internal;

import io.longshore.api.Backend;
import io.longshore.api.LoadBalancingStrategy;
import io.longshore.api.RouteRequest;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/** A uniformly random candidate. As thread-safe as the generator it is given. */
public final class RandomStrategy implements LoadBalancingStrategy {
    private final RandomGenerator random;

    public RandomStrategy(RandomGenerator random) {
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
