package io.longshore.simulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Steady load with noise: the rate moves in straight lines between random levels within
 * {@code perSecond × (1 ± amplitude)}, a new level every {@code every}, drawn from the traffic's
 * generator when driven. Immutable; each drive draws levels of its own.
 */
final class NoisyTraffic implements Traffic {
    private final double perSecond;
    private final double amplitude;
    private final Duration every;

    NoisyTraffic(double perSecond, double amplitude, Duration every) {
        this.perSecond = perSecond;
        this.amplitude = amplitude;
        this.every = every;
    }

    @Override
    public void drive(Arrivals arrivals) {
        double step = every.toNanos() / 1e9;
        Levels levels = new Levels(arrivals.random());
        double max = perSecond * (1 + amplitude);
        new RateTraffic(t -> {
            int k = (int) (t / step);
            double within = t / step - k;
            double level = levels.at(k) + (levels.at(k + 1) - levels.at(k)) * within;
            return perSecond * (1 + amplitude * level);
        }, max, toString()).drive(arrivals);
    }

    @Override
    public double offeredConcurrency(double seconds, double meanServiceSeconds) {
        return perSecond * meanServiceSeconds;
    }

    @Override
    public String toString() {
        return "noisy(" + perSecond + "/s ±" + Math.round(amplitude * 100) + "% every " + every + ")";
    }

    /** Random levels in [-1, 1], drawn on first use, in order. */
    private static final class Levels {
        private final RandomGenerator random;
        private final List<Double> drawn = new ArrayList<>();

        Levels(RandomGenerator random) {
            this.random = random;
        }

        double at(int index) {
            while (drawn.size() <= index) {
                drawn.add(random.nextDouble(-1, 1));
            }
            return drawn.get(index);
        }
    }
}
