package io.longshore.simulator;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

/**
 * The recorded requests of one run, column by column, and the figures drawn from them. Immutable
 * (the arrays are never handed out).
 */
final class Requests {
    private final long[] arrivals;
    private final long[] latencies;
    private final byte[] outcomes;
    private final boolean[] held;
    private final long[] sortedLatencies;

    Requests(long[] arrivals, long[] latencies, byte[] outcomes, boolean[] held) {
        this.arrivals = arrivals;
        this.latencies = latencies;
        this.outcomes = outcomes;
        this.held = held;
        this.sortedLatencies = latencies.clone();
        Arrays.sort(sortedLatencies);
    }

    int count() {
        return arrivals.length;
    }

    /** Requests that arrived in {@code [from, to)} nanoseconds. */
    long count(long from, long to) {
        long n = 0;
        for (long arrival : arrivals) {
            if (arrival >= from && arrival < to) {
                n++;
            }
        }
        return n;
    }

    long count(Outcome outcome) {
        long n = 0;
        for (byte b : outcomes) {
            if (b == outcome.ordinal()) {
                n++;
            }
        }
        return n;
    }

    long failed() {
        long n = 0;
        for (byte b : outcomes) {
            if (Outcome.values()[b].failed()) {
                n++;
            }
        }
        return n;
    }

    long held() {
        long n = 0;
        for (boolean h : held) {
            if (h) {
                n++;
            }
        }
        return n;
    }

    Map<Outcome, Long> failures() {
        Map<Outcome, Long> byKind = new EnumMap<>(Outcome.class);
        for (Outcome outcome : Outcome.values()) {
            long n = count(outcome);
            if (outcome.failed() && n > 0) {
                byKind.put(outcome, n);
            }
        }
        return byKind;
    }

    /** The {@code q} quantile of every request's latency (nearest rank), 0 when there were none. */
    long quantile(double q) {
        return quantileOf(sortedLatencies, q);
    }

    /** The {@code q} quantile of the latency of requests that arrived in {@code [from, to)} nanoseconds. */
    long quantile(double q, long from, long to) {
        long[] window = new long[arrivals.length];
        int n = 0;
        for (int i = 0; i < arrivals.length; i++) {
            if (arrivals[i] >= from && arrivals[i] < to) {
                window[n++] = latencies[i];
            }
        }
        long[] picked = Arrays.copyOf(window, n);
        Arrays.sort(picked);
        return quantileOf(picked, q);
    }

    /** Requests that arrived in {@code [from, to)} and failed. */
    long failed(long from, long to) {
        long n = 0;
        for (int i = 0; i < arrivals.length; i++) {
            if (arrivals[i] >= from && arrivals[i] < to && Outcome.values()[outcomes[i]].failed()) {
                n++;
            }
        }
        return n;
    }

    private static long quantileOf(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
