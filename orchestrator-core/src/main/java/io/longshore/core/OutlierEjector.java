package io.longshore.core;

import io.longshore.api.OrchestratorEvent;
import io.longshore.api.ReplicaState;
import io.longshore.core.internal.ReplicaBackend;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passive outlier ejection, as Envoy's: when the router reports a replica's streak of failed
 * requests, it stops receiving traffic for {@code baseEjection × its ejection count} (capped
 * at {@code maxEjection}), unless that would put more than {@code maxEjectedPercent} of the
 * replicas in service out at once. Loop only; not thread-safe.
 */
final class OutlierEjector {
    private static final Logger LOG = LoggerFactory.getLogger(OutlierEjector.class);

    private final ControlLoop loop;
    private final OutlierDetection settings;

    OutlierEjector(ControlLoop loop) {
        this.loop = loop;
        this.settings = loop.config.outlierDetection();
    }

    void onOutlier(ReplicaBackend backend) {
        Replica replica = loop.table.byBackend(backend);
        if (!settings.enabled() || replica == null || !replica.inService() || replica.outlierEjected) {
            return;
        }
        if (!roomToEject()) {
            LOG.info("{}: not ejecting {}: {}% of replicas are ejected already", loop.service, replica.id,
                    settings.maxEjectedPercent());
            backend.resetFailures();
            return;
        }
        replica.ejections++;
        Duration length = settings.baseEjection().multipliedBy(replica.ejections);
        if (length.compareTo(settings.maxEjection()) > 0) {
            length = settings.maxEjection();
        }
        replica.outlierEjected = true;
        loop.emit(new OrchestratorEvent.ReplicaEjected(loop.now(), loop.service, replica.id, replica.containerId,
                replica.port, settings.consecutiveFailures() + " failed requests in a row", length));
        replica.readmission = loop.later(length, () -> readmit(replica));
    }

    private boolean roomToEject() {
        int inService = 0;
        int ejected = 0;
        for (Replica replica : loop.table.values()) {
            if (replica.inService()) {
                inService++;
                if (replica.outlierEjected) {
                    ejected++;
                }
            }
        }
        return (long) (ejected + 1) * 100 <= (long) settings.maxEjectedPercent() * inService;
    }

    private void readmit(Replica replica) {
        if (!replica.outlierEjected) {
            return;
        }
        replica.outlierEjected = false;
        replica.readmission = null;
        replica.backend.resetFailures();
        if (replica.inService() && loop.table.contains(replica) && replica.state == ReplicaState.READY) {
            loop.emit(new OrchestratorEvent.ReplicaReadmitted(loop.now(), loop.service, replica.id,
                    replica.containerId, replica.port));
        }
    }
}
