package io.longshore.api;

import java.time.Duration;
import java.util.Objects;

/**
 * The seed's autoscaler: {@code replicas = requestsInWindow / perReplica + 1}. Before the
 * first request it keeps the current count. Immutable.
 */
final class RequestsPerReplicaPolicy implements ScalingPolicy {
    private final int perReplica;
    private final Duration window;

    RequestsPerReplicaPolicy(int perReplica, Duration window) {
        if (perReplica < 1) {
            throw new IllegalArgumentException("perReplica must be >= 1, was " + perReplica);
        }
        Objects.requireNonNull(window, "window");
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive, was " + window);
        }
        this.perReplica = perReplica;
        this.window = window;
    }

    @Override
    public int decide(ScalingContext context) {
        if (context.firstRequestAt().isEmpty()) {
            return context.currentReplicas();
        }
        long requests = context.metrics().requestCount(window);
        long wanted = requests / perReplica + 1;
        return (int) Math.min(Integer.MAX_VALUE, wanted);
    }

    @Override
    public boolean startsAtFirstRequest() {
        return true;
    }

    @Override
    public String toString() {
        return "requests-per-replica(" + perReplica + "/" + window + ")";
    }
}
