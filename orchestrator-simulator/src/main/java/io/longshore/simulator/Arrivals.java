package io.longshore.simulator;

import java.util.random.RandomGenerator;

/**
 * Where a {@link Traffic} shape sends its requests: the simulation's virtual time, a way to act
 * later, the request itself, and the traffic's seeded generator. Confined to the simulation's
 * thread, like everything a shape does.
 */
public interface Arrivals {

    /** Virtual time since the simulation started, in nanoseconds. */
    long nanos();

    /** When the traffic ends, in nanoseconds since the start: nothing sent at or after it is sent. */
    long endNanos();

    /** Runs {@code action} at {@code nanos} since the start (at once when that has passed). */
    void at(long nanos, Runnable action);

    /**
     * Sends one request now. {@code onDone} runs once its outcome is known (answered, failed or
     * refused), at that virtual time: what a closed-loop client waits for before its next request.
     */
    void send(Runnable onDone);

    /** The traffic's own generator, split from the simulation's seed. */
    RandomGenerator random();
}
