package io.longshore.api;

/** A load figure a scaling policy can read from {@link LoadMetrics}. */
public enum Metric {
    /** Requests routed to the service within the window. */
    REQUEST_COUNT,
    /** Requests per second within the window. */
    REQUEST_RATE,
    /** Requests in flight now, summed over replicas (window ignored). */
    IN_FLIGHT,
    /** Mean response latency in milliseconds within the window. */
    LATENCY_MS,
    /** Mean CPU use of the replicas in percent of one core, NaN when the runtime cannot tell. */
    CPU_PERCENT
}
