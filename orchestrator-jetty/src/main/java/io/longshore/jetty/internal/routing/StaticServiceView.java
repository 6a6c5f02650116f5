package io.longshore.jetty.internal.routing;

import io.longshore.api.Backend;
import io.longshore.api.OrchestratorEvent;
import io.longshore.api.ReplicaState;
import io.longshore.core.Orchestrator;
import io.longshore.core.OrchestratorStatus;
import io.longshore.core.ReplicaView;
import io.longshore.core.Router;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * The admin view of fixed backends: each is a replica whose request count is the gateway's own,
 * READY while it is routable and UNHEALTHY while it is not (ejected for failing requests), as an
 * orchestrator shows its replicas; the count cannot be scaled. Thread-safe.
 */
public final class StaticServiceView implements ServiceView {
    private final String service;
    private final Router router;
    private final ToLongFunction<String> requestsOf;

    /** @param requestsOf the gateway's count of requests routed to a backend, by its id */
    public StaticServiceView(String service, Router router, ToLongFunction<String> requestsOf) {
        this.service = service;
        this.router = router;
        this.requestsOf = requestsOf;
    }

    @Override
    public String service() {
        return service;
    }

    @Override
    public List<ReplicaView> replicas() {
        Set<String> routable = routableIds();
        List<ReplicaView> views = new ArrayList<>();
        for (Backend backend : router.backends()) {
            boolean up = routable.contains(backend.id());
            views.add(new ReplicaView(backend.id(), "", backend.endpoint().port(),
                    up ? ReplicaState.READY : ReplicaState.UNHEALTHY, up, requestsOf.applyAsLong(backend.id()),
                    backend.inFlight(), null, 0, backend.endpoint(), "", backend.weight()));
        }
        views.sort(Comparator.comparingInt(ReplicaView::port));
        return views;
    }

    @Override
    public OrchestratorStatus status() {
        int count = router.backends().size();
        return new OrchestratorStatus(service, count, routableIds().size(), count, count, router.strategyName(),
                "none", Optional.empty());
    }

    private Set<String> routableIds() {
        Set<String> ids = new HashSet<>();
        router.routable().forEach(backend -> ids.add(backend.id()));
        return ids;
    }

    @Override
    public OptionalInt scaleTo(int replicas) {
        return OptionalInt.empty();
    }

    @Override
    public List<OrchestratorEvent> recentEvents(int limit) {
        return List.of();
    }

    /** Fixed backends run no spec of Longshore's: no rollouts. */
    @Override
    public Optional<Orchestrator> orchestrator() {
        return Optional.empty();
    }
}
