package io.longshore.core;

import io.longshore.api.ContainerSpec;
import io.longshore.core.internal.ReplicaBackend;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * What readers on other threads see of an orchestrator: its replicas and its status after the
 * loop's last change. Immutable (the backends' load figures are live readings).
 *
 * @param views    the replicas in port order
 * @param backends the backend of each view, or null where its endpoint is not known
 * @param status   the state at a glance
 * @param spec     the desired spec
 * @param rollout  the latest rollout, if any
 */
record Published(List<ReplicaView> views, List<ReplicaBackend> backends, OrchestratorStatus status,
                 ContainerSpec spec, Optional<RolloutStatus> rollout) {

    static Published of(List<ReplicaView> views, List<ReplicaBackend> backends, OrchestratorStatus status,
                        ContainerSpec spec, Optional<RolloutStatus> rollout) {
        if (views.size() != backends.size()) {
            throw new IllegalArgumentException(views.size() + " views but " + backends.size() + " backends");
        }
        return new Published(List.copyOf(views),
                Collections.unmodifiableList(Arrays.asList(backends.toArray(new ReplicaBackend[0]))), status, spec,
                rollout);
    }

    /** The views with the live request counts of their backends. */
    List<ReplicaView> live() {
        List<ReplicaView> live = new ArrayList<>(views.size());
        for (int i = 0; i < views.size(); i++) {
            ReplicaBackend backend = backends.get(i);
            live.add(backend == null ? views.get(i) : views.get(i).withLoad(backend.requestCount(), backend.inFlight()));
        }
        return List.copyOf(live);
    }
}
