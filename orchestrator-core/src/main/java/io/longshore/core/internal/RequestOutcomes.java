package io.longshore.core.internal;

import io.longshore.core.Lease;

/**
 * What the end of a leased request does in a {@link DefaultRouter}: gives the backend its slot
 * back, records the latency (on the backend's moving average and in the router's meter) when it
 * says something of the backend's speed, counts a failure or a success toward passive health,
 * telling the owner when a backend reaches the outlier threshold, and signals that room may have
 * appeared. A {@link RouterLease} calls it once per lease, on the request's thread; thread-safe.
 */
final class RequestOutcomes {
    private final RequestMeter meter;
    private final RouterCapacity capacity;
    private final DefaultRouter.Hooks hooks;
    private final int outlierThreshold;
    private final double latencyDecayNanos;

    /**
     * @param outlierThreshold  consecutive failures that make {@link DefaultRouter.Hooks#outlier} fire, 0 for never
     * @param latencyDecayNanos the decay of the backends' latency averages
     */
    RequestOutcomes(RequestMeter meter, RouterCapacity capacity, DefaultRouter.Hooks hooks, int outlierThreshold,
                    double latencyDecayNanos) {
        this.meter = meter;
        this.capacity = capacity;
        this.hooks = hooks;
        this.outlierThreshold = outlierThreshold;
        this.latencyDecayNanos = latencyDecayNanos;
    }

    /** A request leased at {@code startNanos} got an answer with {@code status} at {@code now}; a 5xx counts as a failure. */
    void completed(ReplicaBackend backend, long startNanos, int status, long now) {
        backend.release();
        measure(backend, now, now - startNanos);
        if (status >= 500) {
            countFailure(backend);
        } else {
            backend.recordSuccess();
        }
        capacity.mayBeFree();
    }

    /**
     * A request without an answer. Timeouts and resets count their time as latency; connect
     * failures and cancellations do not (they say nothing about the replica's speed).
     */
    void failed(ReplicaBackend backend, long startNanos, Lease.Failure failure, long now) {
        backend.release();
        if (failure == Lease.Failure.TIMEOUT || failure == Lease.Failure.RESET) {
            measure(backend, now, now - startNanos);
        } else {
            meter.markRelease(now, -1);
        }
        if (failure != Lease.Failure.CANCELLED) {
            countFailure(backend);
        }
        capacity.mayBeFree();
    }

    private void measure(ReplicaBackend backend, long now, long latencyNanos) {
        backend.recordLatency(latencyNanos, now, latencyDecayNanos);
        meter.markRelease(now, latencyNanos);
    }

    private void countFailure(ReplicaBackend backend) {
        if (backend.recordFailure() == outlierThreshold && outlierThreshold > 0) {
            hooks.outlier(backend);
        }
    }
}
