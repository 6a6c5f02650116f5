package io.longshore.core.internal;

import io.longshore.api.LoadMetrics;
import io.longshore.api.Metric;
import java.time.Duration;
import java.util.Objects;
import java.util.function.IntSupplier;

/**
 * The load figures of one router: the request meter (requests, latencies and their quantiles,
 * time-weighted in-flight and waiting counts), the in-flight total (summed over the router's
 * backends when asked, so the request path keeps no router-wide counter), the requests waiting
 * in gateways' lines now, and the last CPU reading the control loop sampled (NaN when the runtime
 * cannot tell). Windows end now, or at a fixed time for the view {@link #asOf(long)} gives.
 * Thread-safe.
 */
final class RouterMetrics implements LoadMetrics {
    private final RequestMeter meter;
    private final IntSupplier inFlight;
    private volatile double cpuPercent = Double.NaN;

    RouterMetrics(RequestMeter meter, IntSupplier inFlight) {
        this.meter = Objects.requireNonNull(meter, "meter");
        this.inFlight = Objects.requireNonNull(inFlight, "inFlight");
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
            case IN_FLIGHT -> inFlight.getAsInt();
            case LATENCY_MS -> meter.meanLatencyMillis(window, end);
            case CPU_PERCENT -> cpuPercent;
            case CONCURRENCY -> meter.concurrency(window, end);
            case WAITING -> meter.waiting(window, end);
            case WAITING_MIN -> meter.waitingFloor(window, end);
            case ARRIVAL_RATE -> meter.arrivalRate(window, end);
            case LATENCY_P50 -> meter.latencyQuantileMillis(0.50, window, end);
            case LATENCY_P95 -> meter.latencyQuantileMillis(0.95, window, end);
            case LATENCY_P99 -> meter.latencyQuantileMillis(0.99, window, end);
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
        return inFlight.getAsInt();
    }

    void cpuPercent(double value) {
        this.cpuPercent = value;
    }

    @Override
    public String toString() {
        return "metrics(inFlight=" + inFlight.getAsInt() + ", cpu=" + cpuPercent + ")";
    }
}
