package io.longshore.api;

import java.time.Duration;

/**
 * What a target-tracking policy observes of its metric, for the whole service, over a window.
 * For concurrency: the arrival rate times the mean latency (Little's law: the concurrency the
 * arrivals need once served without waiting), or the time-weighted requests in flight when larger
 * and nothing waited, plus the requests that keep waiting in the gateway's line. A backlog that builds up while
 * arrivals outrun the replicas is already in the arrival rate and does not count again; requests
 * waiting for replicas that are starting count only up to the capacity those replicas bring (no
 * overshoot); at zero replicas every waiting request counts. Stateless.
 */
final class ObservedDemand {
    /** The longest window of the mean latency used when the stable window saw no request end. */
    private static final Duration LONG_LATENCY_WINDOW = Duration.ofMinutes(15);
    /** The burst window's latest part, whose mean counts when larger than the whole window's. */
    private static final Duration LAST_SECOND = Duration.ofSeconds(1);

    private final TargetTracking settings;
    private final Duration recent;

    ObservedDemand(TargetTracking settings) {
        this.settings = settings;
        this.recent = LAST_SECOND.compareTo(settings.burstWindow()) < 0 ? LAST_SECOND : settings.burstWindow();
    }

    /** The metric over {@code window}; NaN when there is no reading (CPU, latency). */
    double observe(ScalingContext context, Duration window) {
        LoadMetrics metrics = context.metrics();
        return switch (settings.metric()) {
            case CONCURRENCY -> concurrency(context, window);
            case REQUESTS_PER_SECOND -> metrics.value(Metric.ARRIVAL_RATE, window);
            case CPU_PERCENT -> cpu(context);
            case LATENCY_P95 -> metrics.value(Metric.LATENCY_P95, window);
        };
    }

    /**
     * The burst window's demand: the larger of its mean and its last second's mean (the requests
     * that keep waiting counted over the whole window), so that a step is seen within a second
     * rather than once the whole window has passed.
     */
    double observeBurst(ScalingContext context) {
        double whole = observe(context, settings.burstWindow());
        double last = settings.metric() == TargetTracking.TrackedMetric.CONCURRENCY
                ? served(context, recent) + waiting(context, settings.burstWindow())
                : observe(context, recent);
        return Double.isNaN(whole) ? last : Double.isNaN(last) ? whole : Math.max(whole, last);
    }

    private double concurrency(ScalingContext context, Duration window) {
        return served(context, window) + waiting(context, window);
    }

    /**
     * The concurrency the arrivals need: the arrival rate times the mean latency; when requests
     * did not wait for room, the time-weighted requests in flight when larger (it sees requests
     * that take longer than those that ended lately). While requests wait, every replica is busy,
     * so the requests in flight tell the capacity, not the demand (a backlog being drained keeps
     * them busy for a while).
     */
    private double served(ScalingContext context, Duration window) {
        LoadMetrics metrics = context.metrics();
        double inFlight = metrics.value(Metric.CONCURRENCY, window);
        double latencyMillis = metrics.value(Metric.LATENCY_MS, settings.stableWindow());
        if (Double.isNaN(latencyMillis)) {
            latencyMillis = metrics.value(Metric.LATENCY_MS, LONG_LATENCY_WINDOW);
        }
        if (Double.isNaN(latencyMillis)) {
            return inFlight;
        }
        double little = metrics.value(Metric.ARRIVAL_RATE, window) * latencyMillis / 1000;
        return metrics.value(Metric.WAITING, window) >= 1 ? little : Math.max(inFlight, little);
    }

    private double waiting(ScalingContext context, Duration window) {
        LoadMetrics metrics = context.metrics();
        if (context.currentReplicas() == 0) {
            return metrics.value(Metric.WAITING, Duration.ZERO);
        }
        double waiting = metrics.value(Metric.WAITING_MIN, window);
        int starting = Math.max(0, context.currentReplicas() - context.readyReplicas());
        return starting > 0 ? Math.min(waiting, starting * settings.effectiveTarget()) : waiting;
    }

    private static double cpu(ScalingContext context) {
        double percent = context.metrics().value(Metric.CPU_PERCENT, Duration.ZERO);
        return Double.isNaN(percent) || context.readyReplicas() == 0 ? Double.NaN : percent * context.readyReplicas();
    }
}
