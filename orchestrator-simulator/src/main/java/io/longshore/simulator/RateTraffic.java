package io.longshore.simulator;

import java.util.function.DoubleUnaryOperator;
import java.util.random.RandomGenerator;

/**
 * Poisson arrivals at a rate that changes with time, drawn by thinning: candidate arrivals at
 * the highest rate, each kept with the probability of the rate at its time over the highest.
 * Immutable; each drive keeps its state in its own chain of scheduled arrivals.
 */
final class RateTraffic implements Traffic {
    private static final double NANOS = 1e9;

    private final DoubleUnaryOperator perSecond;
    private final double maxPerSecond;
    private final String name;

    RateTraffic(DoubleUnaryOperator perSecond, double maxPerSecond, String name) {
        this.perSecond = perSecond;
        this.maxPerSecond = maxPerSecond;
        this.name = name;
    }

    @Override
    public void drive(Arrivals arrivals) {
        next(arrivals, arrivals.nanos());
    }

    /** Finds the first kept arrival after {@code fromNanos} and schedules it, with the search for the next. */
    private void next(Arrivals arrivals, long fromNanos) {
        if (maxPerSecond <= 0) {
            return;
        }
        RandomGenerator random = arrivals.random();
        long t = fromNanos;
        while (true) {
            t += Math.max(1, Math.round(-Math.log(1 - random.nextDouble()) / maxPerSecond * NANOS));
            if (t >= arrivals.endNanos()) {
                return;
            }
            double rate = Math.max(0, Math.min(maxPerSecond, perSecond.applyAsDouble(t / NANOS)));
            if (random.nextDouble() * maxPerSecond < rate) {
                break;
            }
        }
        long at = t;
        arrivals.at(at, () -> {
            arrivals.send(() -> { });
            next(arrivals, at);
        });
    }

    @Override
    public double offeredConcurrency(double seconds, double meanServiceSeconds) {
        return perSecond.applyAsDouble(seconds) * meanServiceSeconds;
    }

    @Override
    public String toString() {
        return name;
    }
}
