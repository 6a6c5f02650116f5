package io.longshore.simulator;

import java.util.Arrays;

/**
 * Every request's arrival, latency, outcome and whether it waited in the line, in completion
 * order, in growing primitive arrays. Confined to the simulation's thread.
 */
final class Recorder {
    private long[] arrivals = new long[1024];
    private long[] latencies = new long[1024];
    private byte[] outcomes = new byte[1024];
    private boolean[] held = new boolean[1024];
    private int size;

    void record(long arrivalNanos, long latencyNanos, Outcome outcome, boolean wasHeld) {
        if (size == arrivals.length) {
            int grown = size * 2;
            arrivals = Arrays.copyOf(arrivals, grown);
            latencies = Arrays.copyOf(latencies, grown);
            outcomes = Arrays.copyOf(outcomes, grown);
            held = Arrays.copyOf(held, grown);
        }
        arrivals[size] = arrivalNanos;
        latencies[size] = latencyNanos;
        outcomes[size] = (byte) outcome.ordinal();
        held[size] = wasHeld;
        size++;
    }

    /** What was recorded, trimmed, for the report. */
    Requests snapshot() {
        return new Requests(Arrays.copyOf(arrivals, size), Arrays.copyOf(latencies, size),
                Arrays.copyOf(outcomes, size), Arrays.copyOf(held, size));
    }
}
