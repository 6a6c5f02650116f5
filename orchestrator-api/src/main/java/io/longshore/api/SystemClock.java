package io.longshore.api;

import java.time.Instant;

/** The JVM's clocks; the one place that reads them. Stateless. */
enum SystemClock implements Clock {
    INSTANCE;

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public Instant instant() {
        return Instant.now();
    }

    @Override
    public String toString() {
        return "system";
    }
}
