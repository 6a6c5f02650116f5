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

    /**
     * Moving average of its response latency over its last few responses (each new one weighs
     * 1/5), 0 before the first response.
     */
    long latencyEwmaNanos();

    /**
     * Its relative weight, at least 1: 1 unless set, for a service in its
     * {@link ContainerSpec#weight() spec} and for one replica through the orchestrator (the admin
     * API's {@code POST /replicas/{id}/weight}). Weighted strategies send it traffic in
     * proportion.
     */
    default int weight() {
        return 1;
    }

    /**
     * The weight to balance by now: {@link #weight()}, lowered while the replica is in slow start
     * (a share of it ramping up after the replica became ready or came back from ejection). The
     * weighted round robin and least-request strategies use it. Greater than 0.
     */
    default double effectiveWeight() {
        return weight();
    }

    /**
     * Its peak-EWMA latency estimate in nanoseconds as it stood at {@link #peakEwmaAtNanos()} (a
     * reading of the router's clock), or NaN before its first response. A response slower than
     * the estimate raises it to that latency at once; a faster one pulls it down with the time
     * constant of the router's {@link LoadBalancingStrategy#latencyDecay() latency decay}
     * (Finagle's and Linkerd's peak EWMA). Between responses the estimate decays towards 0 as
     * {@code exp(-(now - peakEwmaAtNanos) / decay)}, so a replica that got no traffic for a while
     * is tried again. Because both backends' estimates decay by the same factor, comparing two
     * of them needs no clock: project one onto the other's time.
     */
    default double peakEwmaNanos() {
        return Double.NaN;
    }

    /** When {@link #peakEwmaNanos()} was last updated, on the router's clock; 0 before the first response. */
    default long peakEwmaAtNanos() {
        return 0;
    }
}
