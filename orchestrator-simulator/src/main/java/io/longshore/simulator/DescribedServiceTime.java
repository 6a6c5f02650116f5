package io.longshore.simulator;

import java.util.Objects;
import java.util.random.RandomGenerator;

/** A built-in {@link ServiceTime}: its sampler, its known mean and its name. Immutable. */
final class DescribedServiceTime implements ServiceTime {
    private final ServiceTime sampler;
    private final double mean;
    private final String name;

    DescribedServiceTime(ServiceTime sampler, double mean, String name) {
        this.sampler = Objects.requireNonNull(sampler, "sampler");
        this.mean = mean;
        this.name = name;
    }

    @Override
    public long sampleNanos(RandomGenerator random) {
        return Math.max(0, sampler.sampleNanos(random));
    }

    @Override
    public double meanNanos() {
        return mean;
    }

    @Override
    public String toString() {
        return name;
    }
}
