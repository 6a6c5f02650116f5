package io.longshore.core;

import io.longshore.api.ConfigurationException;
import io.longshore.api.internal.Checks;
import java.time.Duration;

/**
 * How {@link Orchestrator#update} replaces the replicas, as a Kubernetes Deployment's rolling
 * update: at most {@code maxSurge} replicas above the desired count start with the new spec; an
 * old replica is drained only while at least the desired count minus {@code maxUnavailable} are
 * available; a new replica is available once it is ready (probes, {@code rise}) and stayed ready
 * for {@code minReady}. The rollout is rolled back when no new replica became available for
 * {@code progressDeadline}, or when new replicas in one port slot failed {@code crashLoopRestarts}
 * times. Both counts are absolute or a percentage of the desired count (surge rounded up,
 * unavailability rounded down); when both come to 0 the surge is 1, so a rollout always moves.
 * Immutable; derive variants with {@link #toBuilder()}, e.g.
 * {@code RolloutConfig.defaults().toBuilder().minReady(Duration.ZERO).build()}.
 */
public final class RolloutConfig {
    /** New replicas above the desired count, in percent of it (rounded up; at least 1 while unavailability is 0). */
    public static final int DEFAULT_MAX_SURGE_PERCENT = 25;
    /** Replicas below the desired count, in percent of it (rounded down): none, so no capacity is lost. */
    public static final int DEFAULT_MAX_UNAVAILABLE_PERCENT = 0;
    /** How long a new replica must stay ready before it counts as available (Kubernetes' minReadySeconds). */
    public static final Duration DEFAULT_MIN_READY = Duration.ofSeconds(5);
    /** How long a rollout may go without a new replica becoming available before it is rolled back. */
    public static final Duration DEFAULT_PROGRESS_DEADLINE = Duration.ofMinutes(2);
    /** Failures of new replicas in one port slot that roll a rollout back. */
    public static final int DEFAULT_CRASH_LOOP_RESTARTS = 3;

    private final int maxSurge;
    private final boolean surgeInPercent;
    private final int maxUnavailable;
    private final boolean unavailableInPercent;
    private final Duration minReady;
    private final Duration progressDeadline;
    private final int crashLoopRestarts;

    private RolloutConfig(Builder b) {
        this.maxSurge = b.maxSurge;
        this.surgeInPercent = b.surgeInPercent;
        this.maxUnavailable = b.maxUnavailable;
        this.unavailableInPercent = b.unavailableInPercent;
        this.minReady = b.minReady;
        this.progressDeadline = b.progressDeadline;
        this.crashLoopRestarts = b.crashLoopRestarts;
    }

    /** Every {@code DEFAULT_*} value of this class. */
    public static RolloutConfig defaults() {
        return new Builder().build();
    }

    /** A builder starting from {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.maxSurge = maxSurge;
        b.surgeInPercent = surgeInPercent;
        b.maxUnavailable = maxUnavailable;
        b.unavailableInPercent = unavailableInPercent;
        b.minReady = minReady;
        b.progressDeadline = progressDeadline;
        b.crashLoopRestarts = crashLoopRestarts;
        return b;
    }

    /** The surge for {@code desired} replicas: the absolute count, or the percentage rounded up; see the class comment. */
    public int surgeFor(int desired) {
        int surge = surgeInPercent ? (int) Math.ceil(maxSurge * (double) desired / 100) : maxSurge;
        return surge == 0 && unavailableFor(desired) == 0 ? 1 : surge;
    }

    /** The replicas that may be unavailable for {@code desired}: the absolute count, or the percentage rounded down. */
    public int unavailableFor(int desired) {
        return unavailableInPercent ? (int) Math.floor(maxUnavailable * (double) desired / 100) : maxUnavailable;
    }

    public Duration minReady() {
        return minReady;
    }

    public Duration progressDeadline() {
        return progressDeadline;
    }

    public int crashLoopRestarts() {
        return crashLoopRestarts;
    }

    /** E.g. {@code rollout(maxSurge=25%, maxUnavailable=0%, minReady=PT5S, progressDeadline=PT2M, crashLoop=3)}. */
    @Override
    public String toString() {
        return "rollout(maxSurge=" + maxSurge + (surgeInPercent ? "%" : "") + ", maxUnavailable=" + maxUnavailable
                + (unavailableInPercent ? "%" : "") + ", minReady=" + minReady + ", progressDeadline="
                + progressDeadline + ", crashLoop=" + crashLoopRestarts + ")";
    }

    /** Builds a {@link RolloutConfig}; each setter validates its argument. Not thread-safe. */
    public static final class Builder {
        private int maxSurge = DEFAULT_MAX_SURGE_PERCENT;
        private boolean surgeInPercent = true;
        private int maxUnavailable = DEFAULT_MAX_UNAVAILABLE_PERCENT;
        private boolean unavailableInPercent = true;
        private Duration minReady = DEFAULT_MIN_READY;
        private Duration progressDeadline = DEFAULT_PROGRESS_DEADLINE;
        private int crashLoopRestarts = DEFAULT_CRASH_LOOP_RESTARTS;

        private Builder() {
        }

        /** At most {@code replicas} new replicas above the desired count; {@value #DEFAULT_MAX_SURGE_PERCENT} % by default. */
        public Builder maxSurge(int replicas) {
            this.maxSurge = Checks.requireAtLeast(replicas, 0, "maxSurge");
            this.surgeInPercent = false;
            return this;
        }

        /** At most {@code percent} % of the desired count (rounded up) above it; {@value #DEFAULT_MAX_SURGE_PERCENT} by default. */
        public Builder maxSurgePercent(int percent) {
            this.maxSurge = requirePercent(percent, "maxSurgePercent");
            this.surgeInPercent = true;
            return this;
        }

        /** At most {@code replicas} below the desired count may be unavailable; 0 % by default. */
        public Builder maxUnavailable(int replicas) {
            this.maxUnavailable = Checks.requireAtLeast(replicas, 0, "maxUnavailable");
            this.unavailableInPercent = false;
            return this;
        }

        /** At most {@code percent} % of the desired count (rounded down) may be unavailable; 0 by default. */
        public Builder maxUnavailablePercent(int percent) {
            this.maxUnavailable = requirePercent(percent, "maxUnavailablePercent");
            this.unavailableInPercent = true;
            return this;
        }

        /** How long a new replica stays ready before it is available; {@link #DEFAULT_MIN_READY} (5 s) by default. */
        public Builder minReady(Duration minReady) {
            this.minReady = Checks.requireNotNegative(minReady, "minReady");
            return this;
        }

        /**
         * How long a rollout may go without a new replica becoming available before it is rolled
         * back; {@link #DEFAULT_PROGRESS_DEADLINE} (2 min) by default. Time spent paused does not count.
         */
        public Builder progressDeadline(Duration deadline) {
            this.progressDeadline = Checks.requirePositive(deadline, "progressDeadline");
            return this;
        }

        /** Failures of new replicas in one port slot that roll the rollout back; {@value #DEFAULT_CRASH_LOOP_RESTARTS} by default. */
        public Builder crashLoopRestarts(int failures) {
            this.crashLoopRestarts = Checks.requireAtLeast(failures, 1, "crashLoopRestarts");
            return this;
        }

        /** Checks that {@code minReady} is shorter than {@code progressDeadline} and builds. */
        public RolloutConfig build() {
            if (minReady.compareTo(progressDeadline) >= 0) {
                throw new ConfigurationException("rollout minReady (" + minReady
                        + ") must be shorter than its progressDeadline (" + progressDeadline + ")");
            }
            return new RolloutConfig(this);
        }

        private static int requirePercent(int value, String name) {
            if (value < 0 || value > 100) {
                throw new IllegalArgumentException(name + " must be in 0..100, was " + value);
            }
            return value;
        }
    }
}
