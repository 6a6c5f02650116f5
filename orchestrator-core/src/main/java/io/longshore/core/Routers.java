package io.longshore.core;

import io.longshore.api.Clock;
import io.longshore.api.Endpoint;
import io.longshore.api.LoadBalancingStrategy;
import io.longshore.core.internal.DefaultRouter;
import io.longshore.core.internal.ReplicaBackend;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * Routers without an orchestrator. Stateless factory.
 */
public final class Routers {
    private Routers() {
    }

    /**
     * A router over fixed endpoints that nothing probes or replaces, for a gateway in front of
     * replicas run by someone else, with the default {@link OutlierDetection}.
     *
     * @see #fixed(List, LoadBalancingStrategy, Clock, OutlierDetection)
     */
    public static Router fixed(List<Endpoint> endpoints, LoadBalancingStrategy strategy, Clock clock) {
        return fixed(endpoints, strategy, clock, OutlierDetection.defaults());
    }

    /**
     * A router over fixed endpoints that nothing probes or replaces. Passive outlier detection
     * is its only health check: {@code consecutiveFailures} failed requests in a row (5xx,
     * connect, reset, timeout) take an endpoint out for {@code baseEjection × its ejection count}
     * (capped), never more than {@code maxEjectedPercent} at once, and below the panic threshold
     * every endpoint is routed: the same candidate filter and ejection rules as an orchestrator's.
     * Backend ids are the endpoints' {@code host:port}. Thread-safe, like every router.
     *
     * @throws IllegalArgumentException when {@code endpoints} is empty or holds duplicates
     */
    public static Router fixed(List<Endpoint> endpoints, LoadBalancingStrategy strategy, Clock clock,
                               OutlierDetection outlierDetection) {
        return fixed(endpoints, strategy, clock, outlierDetection, SlowStart.disabled());
    }

    /**
     * The same with slow start: an endpoint readmitted after an ejection ramps up to its whole
     * weight over the slow start's window (the endpoints given are taken as warm).
     *
     * @throws IllegalArgumentException when {@code endpoints} is empty or holds duplicates
     */
    public static Router fixed(List<Endpoint> endpoints, LoadBalancingStrategy strategy, Clock clock,
                               OutlierDetection outlierDetection, SlowStart slowStart) {
        Objects.requireNonNull(endpoints, "endpoints");
        Objects.requireNonNull(outlierDetection, "outlierDetection");
        Objects.requireNonNull(slowStart, "slowStart");
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("endpoints must not be empty");
        }
        if (new HashSet<>(endpoints).size() != endpoints.size()) {
            throw new IllegalArgumentException("endpoints must not repeat, were " + endpoints);
        }
        List<ReplicaBackend> backends = new ArrayList<>();
        for (Endpoint endpoint : endpoints) {
            backends.add(new ReplicaBackend(Objects.requireNonNull(endpoint, "endpoint").toString(), endpoint));
        }
        FixedBackends owner = new FixedBackends(backends, outlierDetection, slowStart, clock);
        DefaultRouter router = new DefaultRouter(strategy, clock, owner.reportThreshold(), owner);
        owner.attach(router);
        return router;
    }
}
