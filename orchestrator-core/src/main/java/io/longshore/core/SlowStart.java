package io.longshore.core;

import io.longshore.api.internal.Checks;
import java.time.Duration;

/**
 * Slow start, as Envoy's: a replica that just became ready, or came back from ejection or from
 * failed probes, gets a share of its weight that grows over {@code window}, from
 * {@code minWeightPercent} to all of it:
 * {@code max(minWeightPercent / 100, (elapsed / window)^(1 / aggression))}. Applied by the
 * candidate filter, so every strategy that balances by {@link io.longshore.api.Backend#effectiveWeight()}
 * honours it: round robin and least request. While some replica ramps up, its router is given
 * the new shares every {@link #step()}. Off unless configured; derive variants with
 * {@link #toBuilder()}, e.g. {@code SlowStart.defaults().toBuilder().window(Duration.ofMinutes(1)).build()}.
 * Immutable.
 *
 * @param window           how long the ramp lasts; {@link Duration#ZERO} for no slow start
 * @param minWeightPercent the share of its weight a replica starts with, 1..100
 * @param aggression       how the share grows: 1 linearly, above 1 faster at first, below 1 slower
 */
public record SlowStart(Duration window, int minWeightPercent, double aggression) {

    /** How long the ramp lasts, unless set. */
    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(30);
    /** The share of its weight, in percent, a replica starts with (Envoy's {@code min_weight_percent}). */
    public static final int DEFAULT_MIN_WEIGHT_PERCENT = 10;
    /** A linear ramp (Envoy's default {@code aggression}). */
    public static final double DEFAULT_AGGRESSION = 1.0;
    /** The longest time between two publications of the ramping shares. */
    static final Duration MAX_STEP = Duration.ofSeconds(1);
    /** Steps a ramp takes at least. */
    static final int MIN_STEPS = 20;

    public SlowStart {
        Checks.requireNotNegative(window, "window");
        if (minWeightPercent < 1 || minWeightPercent > 100) {
            throw new IllegalArgumentException("minWeightPercent must be in 1..100, was " + minWeightPercent);
        }
        if (!(aggression > 0) || Double.isInfinite(aggression)) {
            throw new IllegalArgumentException("aggression must be a finite number > 0, was " + aggression);
        }
    }

    /** A {@link #DEFAULT_WINDOW} (30 s) linear ramp from {@link #DEFAULT_MIN_WEIGHT_PERCENT} (10 %). */
    public static SlowStart defaults() {
        return new SlowStart(DEFAULT_WINDOW, DEFAULT_MIN_WEIGHT_PERCENT, DEFAULT_AGGRESSION);
    }

    /** The defaults over {@code window} instead; {@link Duration#ZERO} for none. */
    public static SlowStart over(Duration window) {
        return new SlowStart(window, DEFAULT_MIN_WEIGHT_PERCENT, DEFAULT_AGGRESSION);
    }

    /** No slow start: every replica gets its whole weight at once. */
    public static SlowStart disabled() {
        return over(Duration.ZERO);
    }

    /** Whether replicas ramp up at all. */
    public boolean enabled() {
        return !window.isZero();
    }

    /**
     * The share of its weight, in (0, 1], of a replica ready for {@code elapsedNanos} (ready since
     * before the filter's clock began: negative or huge values mean "long ago").
     */
    public double share(long elapsedNanos) {
        long windowNanos = window.toNanos();
        if (windowNanos == 0 || elapsedNanos >= windowNanos || elapsedNanos < 0) {
            return 1.0;
        }
        double timeFactor = Math.max(elapsedNanos, 1_000_000L) / (double) windowNanos;
        double ramp = aggression == 1.0 ? timeFactor : Math.pow(timeFactor, 1 / aggression);
        return Math.min(1.0, Math.max(minWeightPercent / 100.0, ramp));
    }

    /** How often the shares are published while a replica ramps: a twentieth of the window, at most a second. */
    public Duration step() {
        Duration twentieth = window.dividedBy(MIN_STEPS);
        return twentieth.compareTo(MAX_STEP) < 0 ? twentieth : MAX_STEP;
    }

    /** A builder starting from {@link #defaults()}. */
    public static Builder builder() {
        return defaults().toBuilder();
    }

    /** A builder starting from these settings, to derive a variant. */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.window = window;
        builder.minWeightPercent = minWeightPercent;
        builder.aggression = aggression;
        return builder;
    }

    /** Builds a {@link SlowStart}; each setter validates its argument. Not thread-safe. */
    public static final class Builder {
        private Duration window;
        private int minWeightPercent;
        private double aggression;

        private Builder() {
        }

        /** How long the ramp lasts; {@link #DEFAULT_WINDOW} (30 s) by default, {@link Duration#ZERO} for none. */
        public Builder window(Duration window) {
            this.window = Checks.requireNotNegative(window, "window");
            return this;
        }

        /** The share of its weight a replica starts with, 1..100; {@value #DEFAULT_MIN_WEIGHT_PERCENT} by default. */
        public Builder minWeightPercent(int minWeightPercent) {
            if (minWeightPercent < 1 || minWeightPercent > 100) {
                throw new IllegalArgumentException("minWeightPercent must be in 1..100, was " + minWeightPercent);
            }
            this.minWeightPercent = minWeightPercent;
            return this;
        }

        /** The ramp's shape, &gt; 0: {@value #DEFAULT_AGGRESSION} (linear) by default. */
        public Builder aggression(double aggression) {
            if (!(aggression > 0) || Double.isInfinite(aggression)) {
                throw new IllegalArgumentException("aggression must be a finite number > 0, was " + aggression);
            }
            this.aggression = aggression;
            return this;
        }

        public SlowStart build() {
            return new SlowStart(window, minWeightPercent, aggression);
        }
    }
}
