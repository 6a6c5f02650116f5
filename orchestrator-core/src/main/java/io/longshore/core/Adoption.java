package io.longshore.core;

import io.longshore.api.ContainerInfo;
import io.longshore.api.ContainerRuntime;
import io.longshore.api.Endpoint;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes over what a previous orchestrator of the service left: lists its containers, adopts
 * the running ones with the same spec (one per port slot, oldest first, at most {@code maxReplicas})
 * and stops the others. Loop only; not thread-safe.
 */
final class Adoption {
    private static final Logger LOG = LoggerFactory.getLogger(Adoption.class);

    private final ControlPort control;
    private final ReplicaTable table;
    private final ContainerRuntime runtime;
    private final OrchestratorConfig config;
    private final String specHash;

    Adoption(ControlPort control, ReplicaTable table, OrchestratorConfig config) {
        this.control = control;
        this.table = table;
        this.runtime = config.runtime();
        this.config = config;
        this.specHash = ContainerLabels.specHash(config.service());
    }

    /** Lists the service's containers off the loop and hands them to {@code then} on the loop. */
    void find(Consumer<List<ContainerInfo>> then) {
        var selector = ContainerLabels.selector(control.service(), control.service());
        control.offLoop(() -> {
            List<ContainerInfo> found;
            try {
                found = runtime.list(selector);
            } catch (RuntimeException e) {
                LOG.warn("{}: cannot list existing containers; adopting none", control.service(), e);
                found = List.of();
            }
            List<ContainerInfo> existing = found;
            control.post(() -> then.accept(existing));
        });
    }

    /** Adopts the adoptable containers of {@code found} and stops the rest; returns how many it adopted. */
    int adopt(List<ContainerInfo> found) {
        int adopted = 0;
        for (ContainerInfo info : found.stream().sorted(Comparator.comparing(ContainerInfo::startedAt)).toList()) {
            int slot = slot(info);
            if (slot > 0 && adopted < config.maxReplicas()) {
                adoptOne(info, slot);
                adopted++;
            } else {
                LOG.info("{}: stopping stale container {} ({})", control.service(), info.id(), info.endpoint());
                String id = info.id();
                control.offLoop(() -> stopQuietly(id));
            }
        }
        return adopted;
    }

    /**
     * The port slot {@code info} can be adopted into, or 0 when it cannot: it must run the same
     * spec, carry a free slot from {@code basePort} on, and serve on a known endpoint (on that
     * slot's port, for a runtime that takes the proposed endpoint).
     */
    private int slot(ContainerInfo info) {
        if (!info.running() || !info.hasEndpoint()) {
            return 0;
        }
        int slot;
        try {
            slot = Integer.parseInt(info.labels().getOrDefault(ContainerLabels.PORT, ""));
        } catch (NumberFormatException e) {
            return 0;
        }
        boolean servesOnSlot = runtime.endpointMode() == ContainerRuntime.EndpointMode.ASSIGNED
                || info.endpoint().port() == slot;
        boolean adoptable = servesOnSlot && specHash.equals(info.labels().get(ContainerLabels.SPEC_HASH))
                && slot >= config.basePort() && slot <= 65_535 && table.atPort(slot) == null;
        return adoptable ? slot : 0;
    }

    private void adoptOne(ContainerInfo info, int slot) {
        String id = info.labels().getOrDefault(ContainerLabels.REPLICA, table.nextId(slot));
        Endpoint endpoint = runtime.endpointMode() == ContainerRuntime.EndpointMode.ASSIGNED
                ? info.endpoint() : new Endpoint(config.host(), slot);
        Replica replica = new Replica(id, slot, control, config.service().weight());
        table.add(replica);
        replica.adopt(info.id(), info.startedAt(), endpoint);
    }

    private void stopQuietly(String containerId) {
        try {
            runtime.stop(containerId, config.service().stopGrace());
        } catch (RuntimeException e) {
            LOG.warn("{}: could not stop stale container {}", control.service(), containerId, e);
        }
    }
}
