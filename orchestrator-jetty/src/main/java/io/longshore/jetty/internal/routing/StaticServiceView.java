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
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.ToLongFunction;

/**
 * The admin view of fixed backends: each routable backend is a READY replica whose request
 * count is the gateway's own; the count cannot be scaled. Thread-safe.
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
        List<ReplicaView> views = new ArrayList<>();
        for (Backend backend : router.routable()) {
            views.add(new ReplicaView(backend.id(), "", backend.endpoint().port(), ReplicaState.READY, true,
                    requestsOf.applyAsLong(backend.id()), backend.inFlight(), null, 0));
        }
        views.sort(Comparator.comparingInt(ReplicaView::port));
        return views;
    }

    @Override
    public OrchestratorStatus status() {
        int count = router.routable().size();
        return new OrchestratorStatus(service, count, count, count, count, router.strategyName(), "none",
                Optional.empty());
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
