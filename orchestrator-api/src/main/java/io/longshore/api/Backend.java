package io.longshore.api;

/**
 * A replica as a load-balancing strategy or a health probe sees it. The set of candidates
 * handed to a strategy is an immutable snapshot; the load figures of each backend are live
 * readings. Implementations are thread-safe.
 */
public interface Backend {

    /** The replica id, stable for the life of the replica. */
    String id();

    /** Where it serves. */
    Endpoint endpoint();

    /** Requests sent to it and not yet completed. */
    int inFlight();

    /** Exponentially weighted moving average of its response latency, 0 before the first response. */
    long latencyEwmaNanos();

    /** Relative weight, 1 by default. */
    default int weight() {
        return 1;
    }
}
