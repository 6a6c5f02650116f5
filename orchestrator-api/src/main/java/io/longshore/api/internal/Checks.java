package io.longshore.api.internal;

import java.time.Duration;

/**
 * The argument checks every Longshore builder shares, so that each rejects a bad value with
 * the same words naming the parameter. Stateless.
 */
public final class Checks {

    private Checks() {
    }

    public static String requireNonBlank(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value;
    }

    public static int requireAtLeast(int value, int min, String name) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be >= " + min + ", was " + value);
        }
        return value;
    }

    /** A TCP port, or 0 for "any free one". */
    public static int requirePortOrZero(int port, String name) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException(name + " must be in 0..65535, was " + port);
        }
        return port;
    }

    /**
     * The longest duration a setting may have: 100 years. Clocks, schedulers and deadlines count in
     * a {@code long} of nanoseconds (about 292 years) and add settings to the time now, so a
     * longer one would overflow there, far from the setting that caused it.
     */
    public static final Duration MAX_DURATION = Duration.ofDays(36_500);

    /** {@code value}, if it is positive and at most {@link #MAX_DURATION}. */
    public static Duration requirePositive(Duration value, String name) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
        return requireNotTooLong(value, name);
    }

    /** {@code value}, if it is zero or positive and at most {@link #MAX_DURATION}. */
    public static Duration requireNotNegative(Duration value, String name) {
        if (value == null || value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, was " + value);
        }
        return requireNotTooLong(value, name);
    }

    private static Duration requireNotTooLong(Duration value, String name) {
        if (value.compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException(name + " must be at most 100 years (" + MAX_DURATION + "), was " + value);
        }
        return value;
    }

    /**
     * The bounds of a doubling backoff: {@code initial} and {@code max} positive (named
     * {@code name + " initial"} and {@code name + " max"}) and {@code max} not below {@code initial}.
     */
    public static void requireBackoff(Duration initial, Duration max, String name) {
        requirePositive(initial, name + " initial");
        requirePositive(max, name + " max");
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException(name + " max (" + max + ") must be >= initial (" + initial + ")");
        }
    }
}
