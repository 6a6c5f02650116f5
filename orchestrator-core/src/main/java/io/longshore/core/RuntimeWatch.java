package io.longshore.core;

import io.longshore.api.ContainerRuntime;
import io.longshore.api.Endpoint;
import io.longshore.api.RuntimeEvent;
import io.longshore.api.internal.UserCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The orchestrator's subscription to its runtime's events: each is posted to the loop; an exit is
 * handed to the owner with the replica whose container it concerns, an endpoint report to that
 * replica itself. An event about a container not known yet (its start's answer, or the list
 * that adopts it, is still on its way to the loop) is kept, up to {@link #EARLY_EVENTS}
 * containers, and replayed once that answer arrives. Loop only, except the subscription's
 * callback; not thread-safe.
 */
final class RuntimeWatch {
    /** How many containers' early events are remembered. */
    static final int EARLY_EVENTS = 64;
    private static final Logger LOG = LoggerFactory.getLogger(RuntimeWatch.class);

    private final ControlPort control;
    private final ReplicaTable table;
    private final ContainerRuntime runtime;
    private final Duration startGrace;
    private final BiConsumer<Replica, RuntimeEvent> exits;
    private final Map<String, List<RuntimeEvent>> early = new LinkedHashMap<>();
    private AutoCloseable subscription;

    /**
     * @param startGrace the start grace a replica gets once its endpoint is reported
     * @param exits      gets each exit with the replica it concerns, on the loop
     */
    RuntimeWatch(ControlPort control, ReplicaTable table, ContainerRuntime runtime, Duration startGrace,
                 BiConsumer<Replica, RuntimeEvent> exits) {
        this.control = control;
        this.table = table;
        this.runtime = runtime;
        this.startGrace = startGrace;
        this.exits = exits;
    }

    /** Subscribes to the runtime's events. */
    void subscribe() {
        try {
            subscription = runtime.watch(event -> control.post(() -> dispatch(event)));
        } catch (RuntimeException | Error e) {
            UserCode.rethrowIfFatal(e); // anything else would end the start before the list
            LOG.warn("{}: runtime {} cannot report events; probes will notice exits", control.service(), runtime.name(), e);
        }
    }

    void unsubscribe() {
        if (subscription == null) {
            return;
        }
        try {
            subscription.close();
        } catch (Exception | Error e) {
            UserCode.rethrowIfFatal(e); // anything else would end the close before the replicas are stopped
            LOG.warn("{}: could not unsubscribe from runtime events", control.service(), e);
        }
        subscription = null;
    }

    /** The start or adoption of {@code containerId} reached the loop: replays what happened to it meanwhile. */
    void replayEarly(String containerId) {
        List<RuntimeEvent> events = early.remove(containerId);
        if (events != null) {
            events.forEach(this::dispatch);
        }
    }

    private void dispatch(RuntimeEvent event) {
        Replica replica = table.byContainer(event.containerId());
        if (replica == null) {
            remember(event);
            return;
        }
        if (event.isExit()) {
            exits.accept(replica, event);
        } else if (event.kind() == RuntimeEvent.Kind.ENDPOINT_ASSIGNED) {
            endpointAssigned(replica, event.endpoint());
        }
    }

    private void endpointAssigned(Replica replica, Endpoint endpoint) {
        if (replica.phase() == ReplicaPhase.AWAITING_ENDPOINT
                && runtime.endpointMode() == ContainerRuntime.EndpointMode.ASSIGNED) {
            replica.endpointAssigned(endpoint, startGrace);
        } else if (!replica.isLeaving()) {
            LOG.warn("{}: runtime {} reported endpoint {} for {}, which {}; ignored", control.service(), runtime.name(),
                    endpoint, replica, replica.backend() == null ? "does not wait for one" : "has one already");
        }
    }

    private void remember(RuntimeEvent event) {
        early.computeIfAbsent(event.containerId(), id -> new ArrayList<>()).add(event);
        if (early.size() > EARLY_EVENTS) {
            early.remove(early.keySet().iterator().next());
        }
    }
}
