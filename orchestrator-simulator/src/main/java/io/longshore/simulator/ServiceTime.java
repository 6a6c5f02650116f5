package io.longshore.simulator;

import io.longshore.api.internal.Checks;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * How long a modelled replica works on one request: a distribution sampled with the
 * simulation's seeded generator. A lambda is one ({@code random -> 50_000_000L}); the built-ins
 * come from the static factories. Implementations must be pure functions of the generator.
 */
@FunctionalInterface
public interface ServiceTime {

    /** Samples of a lambda's distribution drawn to estimate its mean. */
    int MEAN_SAMPLES = 20_000;

    /** One request's work in nanoseconds, at least 0. */
    long sampleNanos(RandomGenerator random);

    /**
     * The mean in nanoseconds, for the offered load and the oracle; the built-ins know it, a
     * lambda's is estimated from {@value #MEAN_SAMPLES} samples of a fixed seed.
     */
    default double meanNanos() {
        RandomGenerator random = new SplittableRandom(MEAN_SAMPLES);
        double sum = 0;
        for (int i = 0; i < MEAN_SAMPLES; i++) {
            sum += sampleNanos(random);
        }
        return sum / MEAN_SAMPLES;
    }

    /** This distribution with every sample multiplied by {@code factor} (a replica ten times slower: 10). */
    default ServiceTime times(double factor) {
        if (!(factor > 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("factor must be > 0, was " + factor);
        }
        ServiceTime base = this;
        double mean = base.meanNanos() * factor;
        return new DescribedServiceTime(random -> Math.round(base.sampleNanos(random) * factor), mean, base + " x" + factor);
    }

    /** Always {@code time}. */
    static ServiceTime constant(Duration time) {
        long nanos = Checks.requireNotNegative(time, "time").toNanos();
        return new DescribedServiceTime(random -> nanos, nanos, "constant(" + time + ")");
    }

    /** Uniform between {@code min} and {@code max}. */
    static ServiceTime uniform(Duration min, Duration max) {
        long low = Checks.requireNotNegative(min, "min").toNanos();
        long high = Checks.requireNotNegative(max, "max").toNanos();
        if (high < low) {
            throw new IllegalArgumentException("max (" + max + ") must not be below min (" + min + ")");
        }
        return new DescribedServiceTime(random -> low == high ? low : random.nextLong(low, high + 1), (low + high) / 2.0,
                "uniform(" + min + ".." + max + ")");
    }

    /**
     * {@code mean} with a jitter: uniform within {@code mean × (1 ± jitter)}, e.g. 50 ms with
     * {@code jitter} 0.2 is 40..60 ms.
     */
    static ServiceTime jittered(Duration mean, double jitter) {
        Checks.requireNotNegative(mean, "mean");
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("jitter must be in 0..1, was " + jitter);
        }
        long nanos = mean.toNanos();
        long spread = Math.round(nanos * jitter);
        return new DescribedServiceTime(random -> spread == 0 ? nanos : nanos - spread + random.nextLong(2 * spread + 1), nanos,
                "jittered(" + mean + " ±" + Math.round(jitter * 100) + "%)");
    }

    /**
     * Exponentially distributed around {@code mean} (memoryless work, as in M/M/c queueing
     * models): a long tail of slow requests.
     */
    static ServiceTime exponential(Duration mean) {
        double nanos = Checks.requirePositive(mean, "mean").toNanos();
        return new DescribedServiceTime(random -> Math.round(-nanos * Math.log(1 - random.nextDouble())), nanos,
                "exponential(" + mean + ")");
    }

    /**
     * Log-normal with median {@code median} and shape {@code sigma} (the spread of the log): a
     * realistic service time, mostly close to the median with a tail to the right.
     */
    static ServiceTime logNormal(Duration median, double sigma) {
        double mu = Math.log(Checks.requirePositive(median, "median").toNanos());
        if (!(sigma >= 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("sigma must be >= 0, was " + sigma);
        }
        return new DescribedServiceTime(random -> Math.round(Math.exp(mu + sigma * random.nextGaussian())),
                Math.exp(mu + sigma * sigma / 2), "logNormal(" + median + ", " + sigma + ")");
    }
}
