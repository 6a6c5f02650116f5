package io.longshore.core;

import io.longshore.api.ContainerInfo;
import io.longshore.api.ContainerRuntime;
import io.longshore.api.OrchestratorEvent;
import io.longshore.core.internal.ReplicaBackend;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start of an orchestrator: subscribe to exits, list the containers a previous
 * orchestrator of the service left, adopt the running ones with the same spec (one per
 * port), stop the others, then start ticking and reconcile. Loop only; not thread-safe.
 */
final class Adoption {
    private static final Logger LOG = LoggerFactory.getLogger(Adoption.class);

    private final ControlLoop loop;
    private final ContainerRuntime runtime;

    Adoption(ControlLoop loop, ContainerRuntime runtime) {
        this.loop = loop;
        this.runtime = runtime;
    }

    void begin() {
        if (loop.closing) {
            return;
        }
        loop.lifecycle.watch();
        var selector = ContainerLabels.selector(loop.service, loop.service);
        loop.offLoop(() -> {
            List<ContainerInfo> found;
            try {
                found = runtime.list(selector);
            } catch (RuntimeException e) {
                LOG.warn("{}: cannot list existing containers; adopting none", loop.service, e);
                found = List.of();
            }
            List<ContainerInfo> existing = found;
            loop.post(() -> adopt(existing));
        });
    }

    private void adopt(List<ContainerInfo> found) {
        if (loop.closing) {
            return;
        }
        int adopted = 0;
        for (ContainerInfo info : found.stream().sorted(Comparator.comparing(ContainerInfo::startedAt)).toList()) {
            if (adoptable(info) && adopted < loop.config.maxReplicas()) {
                adoptOne(info);
                adopted++;
            } else {
                LOG.info("{}: stopping stale container {} on port {}", loop.service, info.id(), info.endpoint().port());
                String id = info.id();
                loop.offLoop(() -> stopQuietly(id));
            }
        }
        loop.desired = loop.clamp(Math.max(loop.desired, adopted));
        loop.running = true;
        loop.lifecycle.reconcile();
        loop.probes.start();
        loop.scaling.start();
    }

    private boolean adoptable(ContainerInfo info) {
        int port = info.endpoint().port();
        return info.running()
                && loop.specHash.equals(info.labels().get(ContainerLabels.SPEC_HASH))
                && Integer.toString(port).equals(info.labels().get(ContainerLabels.PORT))
                && port >= loop.config.basePort()
                && loop.table.atPort(port) == null;
    }

    private void adoptOne(ContainerInfo info) {
        int port = info.endpoint().port();
        String id = info.labels().getOrDefault(ContainerLabels.REPLICA, loop.nextReplicaId(port));
        Replica replica = new Replica(id, port, new ReplicaBackend(id, loop.endpoint(port)), true);
        replica.containerId = info.id();
        replica.startedAt = info.startedAt();
        replica.graceUntilNanos = loop.nanos();
        loop.table.add(replica);
        loop.emit(new OrchestratorEvent.ReplicaAdopted(loop.now(), loop.service, id, info.id(), port));
    }

    private void stopQuietly(String containerId) {
        try {
            runtime.stop(containerId, loop.config.service().stopGrace());
        } catch (RuntimeException e) {
            LOG.warn("{}: could not stop stale container {}", loop.service, containerId, e);
        }
    }
}
