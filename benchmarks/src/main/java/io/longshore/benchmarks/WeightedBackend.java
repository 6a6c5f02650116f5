package io.longshore.benchmarks;

import io.longshore.api.Backend;
import io.longshore.api.ContainerSpec;
import io.longshore.api.Endpoint;
import java.util.Objects;

/**
 * A backend of a given weight that has served nothing: none in flight, no latency yet. The
 * figures are volatile fields read on every call, as a router's backends' live figures are,
 * so a strategy pays for its reads. {@link StrategyBenchmark} picks among these to give
 * candidates unequal weights (the routers of {@code Routers.fixed} weigh every endpoint 1).
 * Thread-safe.
 */
final class WeightedBackend implements Backend {
    private final String id;
    private final Endpoint endpoint;
    private final int weight;
    private volatile int inFlight;
    private volatile long latencyEwmaNanos;
    private volatile double peakEwmaNanos = Double.NaN;
    private volatile long peakEwmaAtNanos;

    /** @param weight in 1..{@value ContainerSpec#MAX_WEIGHT} */
    WeightedBackend(String id, Endpoint endpoint, int weight) {
        this.id = Objects.requireNonNull(id, "id");
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.weight = ContainerSpec.requireWeight(weight, "weight");
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Endpoint endpoint() {
        return endpoint;
    }

    @Override
    public int inFlight() {
        return inFlight;
    }

    @Override
    public long latencyEwmaNanos() {
        return latencyEwmaNanos;
    }

    @Override
    public int weight() {
        return weight;
    }

    @Override
    public double peakEwmaNanos() {
        return peakEwmaNanos;
    }

    @Override
    public long peakEwmaAtNanos() {
        return peakEwmaAtNanos;
    }

    @Override
    public String toString() {
        return id + "@" + endpoint;
    }
}
