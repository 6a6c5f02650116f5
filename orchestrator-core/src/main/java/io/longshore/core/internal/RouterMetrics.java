package io.longshore.core.internal;

import io.longshore.api.LoadMetrics;
import io.longshore.api.Metric;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * The load figures of one router: the request meter, the in-flight total and the last CPU
 * reading the control loop sampled (NaN when the runtime cannot tell). Windows end now, or at
 * a fixed time for the view {@link #asOf(long)} gives. Thread-safe.
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
        return value(metric, window, meter.now());
    }

    private double value(Metric metric, Duration window, long end) {
        Objects.requireNonNull(metric, "metric");
        return switch (metric) {
            case REQUEST_COUNT -> meter.requestCount(window, end);
            case REQUEST_RATE -> meter.requestRate(window, end);
            case IN_FLIGHT -> inFlight.sum();
            case LATENCY_MS -> meter.meanLatencyMillis(window, end);
            case CPU_PERCENT -> cpuPercent;
        };
    }

    @Override
    public long requestCount(Duration window) {
        return meter.requestCount(window, meter.now());
    }

    /**
     * A view whose windows end at {@code endNanos} (clock nanos) rather than at the time of the
     * query, so a scaling decision counts the requests of its own interval however late the
     * loop gets to it.
     */
    LoadMetrics asOf(long endNanos) {
        return (metric, window) -> value(metric, window, endNanos);
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
