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
    CPU_PERCENT,
    /**
     * Requests in flight on the replicas, as a time-weighted mean over the window (a request in
     * flight for half the window counts one half); the count now for a zero window.
     */
    CONCURRENCY,
    /**
     * Requests waiting in a gateway's line for a replica (none routable, or every one at its
     * concurrency limit), as a time-weighted mean over the window; the count now for a zero window.
     */
    WAITING,
    /**
     * The fewest requests waiting in a gateway's line at the start of any second within the window,
     * and now: the requests that keep waiting (clients blocked on a full service), without the
     * backlog that builds up while arrivals outrun the replicas; 0 while the line drains (a tenth
     * fewer wait now than when the window began).
     */
    WAITING_MIN,
    /**
     * Requests per second arriving within the window: routed at once, put in a gateway's line
     * (counted once) or refused by a full line, with only the part of the window's first and last
     * second inside it.
     */
    ARRIVAL_RATE,
    /** The median response latency in milliseconds within the window (up to 5 minutes), NaN without requests. */
    LATENCY_P50,
    /** The 95th percentile of the response latency in milliseconds within the window (up to 5 minutes). */
    LATENCY_P95,
    /** The 99th percentile of the response latency in milliseconds within the window (up to 5 minutes). */
    LATENCY_P99
}
