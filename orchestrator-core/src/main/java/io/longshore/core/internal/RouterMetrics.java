package io.longshore.core.internal;

import io.longshore.api.LoadMetrics;
import io.longshore.api.Metric;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * The load figures of one router: the request meter, the in-flight total and the last CPU
 * reading the control loop sampled (NaN when the runtime cannot tell). Thread-safe.
 */
final class RouterMetrics implements LoadMetrics {
    private final RequestMeter meter;
    private final LongAdder inFlight = new LongAdder();
    private volatile double cpuPercent = Double.NaN;

    RouterMetrics(RequestMeter meter) {
        this.meter = Objects.requireNonNull(meter, "meter");
    }

    @Override
    public double value(Metric metric, Duration window) {
        Objects.requireNonNull(metric, "metric");
        return switch (metric) {
            case REQUEST_COUNT -> meter.requestCount(window);
            case REQUEST_RATE -> meter.requestRate(window);
            case IN_FLIGHT -> inFlight.sum();
            case LATENCY_MS -> meter.meanLatencyMillis(window);
            case CPU_PERCENT -> cpuPercent;
        };
    }

    @Override
    public long requestCount(Duration window) {
        return meter.requestCount(window);
    }

    @Override
    public int inFlight() {
        return (int) inFlight.sum();
    }

    void acquired() {
        inFlight.increment();
    }

    void released() {
        inFlight.decrement();
    }

    void cpuPercent(double value) {
        this.cpuPercent = value;
    }

    @Override
    public String toString() {
        return "metrics(inFlight=" + inFlight.sum() + ", cpu=" + cpuPercent + ")";
    }
}
