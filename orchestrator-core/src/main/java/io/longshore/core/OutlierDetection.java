package io.longshore.core;

import java.time.Duration;

/**
 * Passive health from request outcomes, as Envoy's outlier detection: {@code consecutiveFailures}
 * 5xx responses or connect failures in a row eject a replica for {@code baseEjection} times the
 * number of its ejections (capped at {@code maxEjection}); never more than
 * {@code maxEjectedPercent} of the replicas are ejected; when fewer than {@code panicThresholdPercent}
 * of the replicas are healthy the router routes to all of them. Immutable.
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

    public static final int DEFAULT_CONSECUTIVE_FAILURES = 5;
    public static final Duration DEFAULT_BASE_EJECTION = Duration.ofSeconds(30);
    public static final Duration DEFAULT_MAX_EJECTION = Duration.ofMinutes(5);
    public static final int DEFAULT_MAX_EJECTED_PERCENT = 50;
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
        if (maxEjectedPercent < 0 || maxEjectedPercent > 100) {
            throw new IllegalArgumentException("maxEjectedPercent must be in 0..100, was " + maxEjectedPercent);
        }
        if (panicThresholdPercent < 0 || panicThresholdPercent > 100) {
            throw new IllegalArgumentException(
                    "panicThresholdPercent must be in 0..100, was " + panicThresholdPercent);
        }
    }

    public static OutlierDetection defaults() {
        return new OutlierDetection(true, DEFAULT_CONSECUTIVE_FAILURES, DEFAULT_BASE_EJECTION,
                DEFAULT_MAX_EJECTION, DEFAULT_MAX_EJECTED_PERCENT, DEFAULT_PANIC_THRESHOLD_PERCENT);
    }

    public static OutlierDetection disabled() {
        return new OutlierDetection(false, DEFAULT_CONSECUTIVE_FAILURES, DEFAULT_BASE_EJECTION,
                DEFAULT_MAX_EJECTION, DEFAULT_MAX_EJECTED_PERCENT, DEFAULT_PANIC_THRESHOLD_PERCENT);
    }
}
