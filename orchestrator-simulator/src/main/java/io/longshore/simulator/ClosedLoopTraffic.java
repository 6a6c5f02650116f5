package io.longshore.simulator;

import java.time.Duration;

/**
 * Closed-loop clients: each sends a request, waits for its outcome and {@code think}, and sends
 * the next, from {@code from} for {@code length}. Immutable.
 */
record ClosedLoopTraffic(int clients, Duration from, Duration length, Duration think) implements Traffic {

    @Override
    public void drive(Arrivals arrivals) {
        long start = from.toNanos();
        long stop = Math.min(arrivals.endNanos(), start + length.toNanos());
        for (int i = 0; i < clients; i++) {
            arrivals.at(start, () -> loop(arrivals, stop));
        }
    }

    private void loop(Arrivals arrivals, long stop) {
        if (arrivals.nanos() >= stop) {
            return;
        }
        if (think.isZero()) {
            arrivals.send(() -> loop(arrivals, stop));
        } else {
            arrivals.send(() -> arrivals.at(arrivals.nanos() + think.toNanos(), () -> loop(arrivals, stop)));
        }
    }

    @Override
    public double offeredConcurrency(double seconds, double meanServiceSeconds) {
        double start = from.toNanos() / 1e9;
        if (seconds < start || seconds >= start + length.toNanos() / 1e9) {
            return 0;
        }
        double cycle = meanServiceSeconds + think.toNanos() / 1e9;
        return cycle <= 0 ? clients : clients * meanServiceSeconds / cycle;
    }

    @Override
    public String toString() {
        return clients + " clients from " + from + " for " + length + (think.isZero() ? "" : " (think " + think + ")");
    }
}
