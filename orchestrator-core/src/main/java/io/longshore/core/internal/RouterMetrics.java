package io.longshore.core.internal;

import io.longshore.api.LoadMetrics;
import io.longshore.api.Metric;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The load figures of one router: the request meter, the in-flight total and the last CPU
 * reading the control loop sampled (NaN when the runtime cannot tell). Thread-safe.
 */
final class RouterMetrics implements LoadMetrics {
    private final RequestMeter meter;
    private final AtomicInteger inFlight = new AtomicInteger();
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
            case IN_FLIGHT -> inFlight.get();
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
        return inFlight.get();
    }

    void acquired() {
        inFlight.incrementAndGet();
    }

    void released() {
        inFlight.decrementAndGet();
    }

    void cpuPercent(double value) {
        this.cpuPercent = value;
    }

    @Override
    public String toString() {
        return "metrics(inFlight=" + inFlight.get() + ", cpu=" + cpuPercent + ")";
    }
}
