package io.longshore.jetty.internal.routing;

import io.longshore.api.OrchestratorEvent;
import io.longshore.core.Orchestrator;
import io.longshore.core.OrchestratorStatus;
import io.longshore.core.ReplicaView;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletionStage;

/** What the admin API shows of one routed service. Implementations are thread-safe. */
public interface ServiceView {

    String service();

    List<ReplicaView> replicas();

    OrchestratorStatus status();

    /** Sets the desired count and returns the clamped value; empty for fixed backends, which cannot scale. */
    OptionalInt scaleTo(int replicas);

    List<OrchestratorEvent> recentEvents(int limit);

    /** The orchestrator behind the service, for its rollouts; empty for fixed backends, which run no spec. */
    default Optional<Orchestrator> orchestrator() {
        return Optional.empty();
    }

    /**
     * Drains one replica (a new one takes its place); the stage says whether it was found and
     * not already leaving. Empty for fixed backends, which are not Longshore's to stop.
     */
    default Optional<CompletionStage<Boolean>> drain(String replicaId) {
        return Optional.empty();
    }

    /** Stops one replica at once (a new one takes its port); as {@link #drain(String)} otherwise. */
    default Optional<CompletionStage<Boolean>> replace(String replicaId) {
        return Optional.empty();
    }
}
