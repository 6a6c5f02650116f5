package io.longshore.core;

import io.longshore.api.ContainerSpec;
import io.longshore.core.internal.ReplicaBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What readers off the control loop see: the router's snapshot of the candidates (while a replica
 * ramps up under slow start, published again after each step of the ramp) and the
 * {@link Published} views of the replicas and the orchestrator. Publishing runs on the loop;
 * {@link #published()} may be read from any thread.
 */
final class LoopViews {
    private final ControlPort port;
    private final ReplicaTable table;
    private final RoutingPublisher routing;
    private final ProbeRunner probes;
    private final ReplicaLifecycle lifecycle;
    private volatile Published published;
    private boolean reselectPending;

    /**
     * @param probes    say when each replica last passed
     * @param lifecycle counts each port's restarts
     * @param initial   what is published until the first publication
     */
    LoopViews(ControlPort port, ReplicaTable table, RoutingPublisher routing, ProbeRunner probes,
              ReplicaLifecycle lifecycle, Published initial) {
        this.port = port;
        this.table = table;
        this.routing = routing;
        this.probes = probes;
        this.lifecycle = lifecycle;
        this.published = initial;
    }

    Published published() {
        return published;
    }

    /** Publishes the routing; unless {@code closing}, again after the next step of a slow-start ramp. */
    void publishRouting(boolean closing) {
        CandidateFilter.Selection selection = routing.publish(table.candidates(), port.nanos());
        if (!reselectPending && !closing) {
            routing.reselectAfter(selection).ifPresent(step -> {
                reselectPending = true;
                port.later(step, () -> reselectPending = false); // the refresh after the task publishes
            });
        }
    }

    /** Publishes the views of the replicas with {@code status}, the desired {@code spec} and {@code rollout}. */
    void publishViews(OrchestratorStatus status, ContainerSpec spec, Optional<RolloutStatus> rollout) {
        List<ReplicaView> views = new ArrayList<>(table.values().size());
        List<ReplicaBackend> backends = new ArrayList<>(table.values().size());
        for (Replica replica : table.values()) {
            views.add(replica.view(probes.lastHealthy(replica), lifecycle.restarts(replica.port())));
            backends.add(replica.backend());
        }
        published = Published.of(views, backends, status, spec, rollout);
    }
}
