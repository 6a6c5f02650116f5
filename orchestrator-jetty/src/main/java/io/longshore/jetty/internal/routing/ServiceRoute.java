package io.longshore.jetty.internal.routing;

import io.longshore.api.OrchestratorEvent;
import io.longshore.core.Orchestrator;
import io.longshore.core.OrchestratorStatus;
import io.longshore.core.ReplicaView;
import io.longshore.core.Router;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * One path prefix and the service behind it. The router is resolved lazily so an orchestrator
 * built before it started may be routed. Immutable.
 *
 * @param prefix  the path prefix, {@code /} for everything
 * @param service the service name the admin API shows
 * @param router  where requests go
 * @param view    what the admin API shows; {@code null} for fixed backends until the gateway binds its counters
 */
public record ServiceRoute(String prefix, String service, Supplier<Router> router, ServiceView view) {
    public ServiceRoute {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(router, "router");
    }

    /** A route to an orchestrator's replicas. */
    public static ServiceRoute of(String prefix, Orchestrator orchestrator) {
        return new ServiceRoute(prefix, orchestrator.service(), orchestrator::router, new OrchestratorView(orchestrator));
    }

    /** A route to a router's fixed backends. */
    public static ServiceRoute of(String prefix, String service, Router router) {
        return new ServiceRoute(prefix, service, () -> router, null);
    }

    private record OrchestratorView(Orchestrator delegate) implements ServiceView {
        @Override
        public String service() {
            return delegate.service();
        }

        @Override
        public List<ReplicaView> replicas() {
            return delegate.replicas();
        }

        @Override
        public OrchestratorStatus status() {
            return delegate.status();
        }

        @Override
        public OptionalInt scaleTo(int replicas) {
            return OptionalInt.of(delegate.scaleTo(replicas));
        }

        @Override
        public List<OrchestratorEvent> recentEvents(int limit) {
            return delegate.recentEvents(limit);
        }

        @Override
        public Optional<Orchestrator> orchestrator() {
            return Optional.of(delegate);
        }

        @Override
        public Optional<CompletionStage<Boolean>> drain(String replicaId) {
            return Optional.of(delegate.drain(replicaId));
        }

        @Override
        public Optional<CompletionStage<Boolean>> replace(String replicaId) {
            return Optional.of(delegate.replace(replicaId));
        }
    }
}
