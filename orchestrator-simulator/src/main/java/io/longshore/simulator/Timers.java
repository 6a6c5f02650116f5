package io.longshore.simulator;

/** The simulation's virtual time as its parts see it: now, and a way to act later. Confined to the simulation's thread. */
interface Timers {

    /** Nanoseconds since the simulation started. */
    long nanos();

    /** Runs {@code action} at {@code nanos} since the start (at once when that has passed). */
    void at(long nanos, Runnable action);
}
