package io.longshore.kubernetes.internal;

import java.time.Duration;

/** A doubling delay between {@code initial} and {@code max}. Immutable. */
public record Backoff(Duration initial, Duration max) {
    Duration next(Duration current) {
        Duration doubled = current.multipliedBy(2);
        return doubled.compareTo(max) > 0 ? max : doubled;
    }
}
