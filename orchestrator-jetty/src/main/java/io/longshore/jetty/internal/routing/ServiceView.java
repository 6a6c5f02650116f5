package io.longshore.jetty.internal.routing;

import io.longshore.api.OrchestratorEvent;
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

    /**
     * Sets a replica's weight: completes with whether the replica exists (and is not leaving);
     * empty for fixed backends, whose weights cannot be set.
     */
    default Optional<CompletionStage<Boolean>> setWeight(String replicaId, int weight) {
        return Optional.empty();
    }
}
