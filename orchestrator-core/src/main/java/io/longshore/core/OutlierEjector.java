package io.longshore.core;

import io.longshore.api.Scheduler.Cancellable;
import io.longshore.core.internal.ReplicaBackend;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Applies {@link OutlierEjection}'s decisions to replicas: a replica the router reports is
 * ejected (READY → EJECTED) for the decided length, then readmitted (EJECTED → READY) unless it
 * has left that state meanwhile (a failed probe made it UNHEALTHY, or it is leaving). Loop
 * only; not thread-safe.
 */
final class OutlierEjector {
    private final ControlPort control;
    private final ReplicaTable table;
    private final OutlierEjection ejection;
    private final Map<Replica, Cancellable> readmissions = new HashMap<>();

    OutlierEjector(ControlPort control, ReplicaTable table, OutlierEjection ejection) {
        this.control = control;
        this.table = table;
        this.ejection = ejection;
    }

    /** The router reports that {@code backend}'s requests keep failing. */
    void onOutlier(ReplicaBackend backend) {
        Replica replica = table.byBackend(backend);
        if (replica == null) {
            return;
        }
        ejection.retainOnly(table.backends());
        Optional<Duration> length = ejection.eject(backend, table.candidates());
        if (length.isEmpty()) {
            return;
        }
        replica.eject(ejection.reason(), length.get());
        Cancellable previous = readmissions.put(replica, control.later(length.get(), () -> readmit(replica)));
        if (previous != null) {
            previous.cancel();
        }
    }

    private void readmit(Replica replica) {
        readmissions.remove(replica);
        if (replica.phase() == ReplicaPhase.EJECTED && table.contains(replica)) {
            ejection.readmitted(replica.backend());
            replica.readmit();
        }
    }
}
