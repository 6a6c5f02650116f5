package io.longshore.jetty.internal;

import io.longshore.api.OrchestratorEvent;
import io.longshore.core.OrchestratorStatus;
import io.longshore.core.ReplicaView;
import java.util.List;

/** What the admin API shows of one routed service. Implementations are thread-safe. */
public interface ServiceView {

    String service();

    List<ReplicaView> replicas();

    OrchestratorStatus status();

    /** Sets the desired count and returns the clamped value; throws {@link UnsupportedOperationException} for fixed backends. */
    int scaleTo(int replicas);

    List<OrchestratorEvent> recentEvents(int limit);
}
