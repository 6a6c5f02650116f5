package io.longshore.testkit;

import io.longshore.api.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A clock that moves only when told. Advancing it runs the due tasks of every
 * {@link DeterministicScheduler} attached to it, in due order, on the caller's thread.
 * Thread-safe; time reads are atomic.
 */
public final class ManualClock implements Clock {
    private final Instant origin;
    private volatile long nanos;
    private final CopyOnWriteArrayList<Consumer<Long>> onAdvance = new CopyOnWriteArrayList<>();

    /** A clock at 2019-04-27T00:00:00Z, the seed's date. */
    public ManualClock() {
        this(Instant.parse("2019-04-27T00:00:00Z"));
    }

    public ManualClock(Instant origin) {
        this.origin = Objects.requireNonNull(origin, "origin");
    }

    @Override
    public long nanoTime() {
        return nanos;
    }

    @Override
    public Instant instant() {
        return origin.plusNanos(nanos);
    }

    /**
     * Moves time forward by {@code step}, stopping at each scheduled task's due time to run it,
     * so that a task sees the clock at its own due time.
     */
    public void advance(Duration step) {
        if (step.isNegative()) {
            throw new IllegalArgumentException("step must not be negative, was " + step);
        }
        long target = nanos + step.toNanos();
        for (Consumer<Long> scheduler : onAdvance) {
            scheduler.accept(target);
        }
        set(target);
    }

    /** Sets the time directly, used by schedulers stepping through due times. */
    void set(long newNanos) {
        if (newNanos > nanos) {
            nanos = newNanos;
        }
    }

    void onAdvance(Consumer<Long> listener) {
        onAdvance.add(listener);
    }

    @Override
    public String toString() {
        return "manual(" + instant() + ")";
    }
}
