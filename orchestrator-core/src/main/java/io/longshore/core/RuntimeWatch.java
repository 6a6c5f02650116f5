package io.longshore.core;

import io.longshore.api.ContainerRuntime;
import io.longshore.api.RuntimeEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The orchestrator's subscription to its runtime's events: each is posted to the loop and
 * handed to the replica whose container it concerns. An event about a container not known yet
 * (its start's answer is still on its way to the loop) is kept, up to {@link #EARLY_EVENTS}
 * containers, and replayed once the start's answer arrives. Loop only, except the subscription's
 * callback; not thread-safe.
 */
final class RuntimeWatch {
    /** How many containers' early events are remembered. */
    static final int EARLY_EVENTS = 64;
    private static final Logger LOG = LoggerFactory.getLogger(RuntimeWatch.class);

    private final ControlPort control;
    private final ReplicaTable table;
    private final ContainerRuntime runtime;
    private final BiConsumer<Replica, RuntimeEvent> handler;
    private final Map<String, List<RuntimeEvent>> early = new LinkedHashMap<>();
    private AutoCloseable subscription;

    /**
     * @param handler gets each event with the replica it concerns, on the loop
     */
    RuntimeWatch(ControlPort control, ReplicaTable table, ContainerRuntime runtime,
                 BiConsumer<Replica, RuntimeEvent> handler) {
        this.control = control;
        this.table = table;
        this.runtime = runtime;
        this.handler = handler;
    }

    /** Subscribes to the runtime's events. */
    void subscribe() {
        try {
            subscription = runtime.watch(event -> control.post(() -> dispatch(event)));
        } catch (RuntimeException e) {
            LOG.warn("{}: runtime {} cannot report events; probes will notice exits", control.service(), runtime.name(), e);
        }
    }

    void unsubscribe() {
        if (subscription == null) {
            return;
        }
        try {
            subscription.close();
        } catch (Exception e) {
            LOG.warn("{}: could not unsubscribe from runtime events", control.service(), e);
        }
        subscription = null;
    }

    /** The start of {@code containerId} reached the loop: replays what happened to it meanwhile. */
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
        handler.accept(replica, event);
    }

    private void remember(RuntimeEvent event) {
        early.computeIfAbsent(event.containerId(), id -> new ArrayList<>()).add(event);
        if (early.size() > EARLY_EVENTS) {
            early.remove(early.keySet().iterator().next());
        }
    }
}
