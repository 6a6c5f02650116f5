package io.longshore.core;

import io.longshore.api.internal.Checks;
import java.time.Duration;
import java.util.Objects;

/**
 * Passive health from request outcomes, as Envoy's outlier detection: {@code consecutiveFailures}
 * 5xx responses or connect failures in a row eject a replica for {@code baseEjection} times the
 * number of its ejections (capped at {@code maxEjection}); never more than
 * {@code maxEjectedPercent} of the replicas are ejected; when fewer than {@code panicThresholdPercent}
 * of the replicas are healthy the router routes to all of them. Immutable; derive variants with
 * {@link #toBuilder()}, e.g. {@code OutlierDetection.defaults().toBuilder().consecutiveFailures(3).build()}.
 *
 * @param enabled               whether outcomes eject replicas at all
 * @param consecutiveFailures   failures in a row that eject
 * @param baseEjection          the first ejection's length
 * @param maxEjection           the cap on an ejection's length
 * @param maxEjectedPercent     the most replicas (in percent) ejected at once
 * @param panicThresholdPercent below this share of healthy replicas, route to all
 */
public record OutlierDetection(boolean enabled, int consecutiveFailures, Duration baseEjection,
                               Duration maxEjection, int maxEjectedPercent, int panicThresholdPercent) {

    /** Failed requests in a row that eject a replica (Envoy's {@code consecutive_5xx}). */
    public static final int DEFAULT_CONSECUTIVE_FAILURES = 5;
    /** The first ejection's length (Envoy's {@code base_ejection_time}). */
    public static final Duration DEFAULT_BASE_EJECTION = Duration.ofSeconds(30);
    /** The cap on an ejection's length. */
    public static final Duration DEFAULT_MAX_EJECTION = Duration.ofMinutes(5);
    /** The most replicas, in percent, ejected at once. */
    public static final int DEFAULT_MAX_EJECTED_PERCENT = 50;
    /** Below this share of routable replicas, route to all of them (Envoy's {@code healthy_panic_threshold}). */
    public static final int DEFAULT_PANIC_THRESHOLD_PERCENT = 50;

    public OutlierDetection {
        if (consecutiveFailures < 1) {
            throw new IllegalArgumentException("consecutiveFailures must be >= 1, was " + consecutiveFailures);
        }
        if (baseEjection == null || baseEjection.isNegative()) {
            throw new IllegalArgumentException("baseEjection must not be negative, was " + baseEjection);
        }
        if (maxEjection == null || maxEjection.compareTo(baseEjection) < 0) {
            throw new IllegalArgumentException("maxEjection must be >= baseEjection, was " + maxEjection);
        }
        requirePercent(maxEjectedPercent, "maxEjectedPercent");
        requirePercent(panicThresholdPercent, "panicThresholdPercent");
    }

    private static int requirePercent(int value, String name) {
        if (value < 0 || value > 100) {
            throw new IllegalArgumentException(name + " must be in 0..100, was " + value);
        }
        return value;
    }

    /** Enabled, with every {@code DEFAULT_*} value of this class. */
    public static OutlierDetection defaults() {
        return new OutlierDetection(true, DEFAULT_CONSECUTIVE_FAILURES, DEFAULT_BASE_EJECTION,
                DEFAULT_MAX_EJECTION, DEFAULT_MAX_EJECTED_PERCENT, DEFAULT_PANIC_THRESHOLD_PERCENT);
    }

    /** No outlier ejection (the panic threshold still applies to probe failures). */
    public static OutlierDetection disabled() {
        return new OutlierDetection(false, DEFAULT_CONSECUTIVE_FAILURES, DEFAULT_BASE_EJECTION,
                DEFAULT_MAX_EJECTION, DEFAULT_MAX_EJECTED_PERCENT, DEFAULT_PANIC_THRESHOLD_PERCENT);
    }

    /** A builder starting from {@link #defaults()}. */
    public static Builder builder() {
        return defaults().toBuilder();
    }

    /** A builder starting from these settings, to derive a variant. */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.enabled = enabled;
        builder.consecutiveFailures = consecutiveFailures;
        builder.baseEjection = baseEjection;
        builder.maxEjection = maxEjection;
        builder.maxEjectedPercent = maxEjectedPercent;
        builder.panicThresholdPercent = panicThresholdPercent;
        return builder;
    }

    /** Builds an {@link OutlierDetection}; each setter validates its argument. Not thread-safe. */
    public static final class Builder {
        private boolean enabled;
        private int consecutiveFailures;
        private Duration baseEjection;
        private Duration maxEjection;
        private int maxEjectedPercent;
        private int panicThresholdPercent;

        private Builder() {
        }

        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        public Builder consecutiveFailures(int consecutiveFailures) {
            this.consecutiveFailures = Checks.requireAtLeast(consecutiveFailures, 1, "consecutiveFailures");
            return this;
        }

        public Builder baseEjection(Duration baseEjection) {
            this.baseEjection = Checks.requireNotNegative(baseEjection, "baseEjection");
            return this;
        }

        public Builder maxEjection(Duration maxEjection) {
            this.maxEjection = Checks.requireNotNegative(maxEjection, "maxEjection");
            return this;
        }

        public Builder maxEjectedPercent(int maxEjectedPercent) {
            this.maxEjectedPercent = requirePercent(maxEjectedPercent, "maxEjectedPercent");
            return this;
        }

        public Builder panicThresholdPercent(int panicThresholdPercent) {
            this.panicThresholdPercent = requirePercent(panicThresholdPercent, "panicThresholdPercent");
            return this;
        }

        /** Checks {@code maxEjection >= baseEjection} and builds. */
        public OutlierDetection build() {
            return new OutlierDetection(enabled, consecutiveFailures, Objects.requireNonNull(baseEjection),
                    Objects.requireNonNull(maxEjection), maxEjectedPercent, panicThresholdPercent);
        }
    }
}
