package io.longshore.kubernetes;

import java.time.Duration;

/** A doubling delay between {@code initial} and {@code max}. Immutable. */
record Backoff(Duration initial, Duration max) {
    Duration next(Duration current) {
        Duration doubled = current.multipliedBy(2);
        return doubled.compareTo(max) > 0 ? max : doubled;
    }
}
