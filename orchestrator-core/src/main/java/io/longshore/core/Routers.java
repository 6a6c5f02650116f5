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
     * replicas run by someone else. Every endpoint is always routable: there is no outlier
     * ejection (a dead endpoint keeps its share; the gateway's retries cover it). Backend ids
     * are the endpoints' {@code host:port}. Thread-safe, like every router.
     *
     * @throws IllegalArgumentException when {@code endpoints} is empty or holds duplicates
     */
    public static Router fixed(List<Endpoint> endpoints, LoadBalancingStrategy strategy, Clock clock) {
        Objects.requireNonNull(endpoints, "endpoints");
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("endpoints must not be empty");
        }
        if (new HashSet<>(endpoints).size() != endpoints.size()) {
            throw new IllegalArgumentException("endpoints must not repeat, were " + endpoints);
        }
        DefaultRouter router = new DefaultRouter(strategy, clock, 0, new DefaultRouter.Hooks() { });
        List<ReplicaBackend> backends = new ArrayList<>();
        for (Endpoint endpoint : endpoints) {
            backends.add(new ReplicaBackend(Objects.requireNonNull(endpoint, "endpoint").toString(), endpoint));
        }
        router.publish(backends);
        return router;
    }
}
