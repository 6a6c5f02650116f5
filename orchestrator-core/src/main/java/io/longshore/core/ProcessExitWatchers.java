package io.longshore.core;

import io.longshore.api.RuntimeEvent;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The watchers of a {@link ProcessRuntime}: subscribe, unsubscribe, and deliver an event to each,
 * logging and skipping one that throws. Thread-safe (copy-on-write).
 */
final class ProcessExitWatchers {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessRuntime.class);
    private final List<Consumer<RuntimeEvent>> watchers = new CopyOnWriteArrayList<>();

    /**
     * Subscribes {@code listener}; closing the handle unsubscribes exactly this subscription
     * (idempotent), even when the same listener is subscribed twice.
     */
    AutoCloseable add(Consumer<RuntimeEvent> listener) {
        Objects.requireNonNull(listener, "listener");
        Consumer<RuntimeEvent> entry = new Consumer<>() {
            @Override
            public void accept(RuntimeEvent event) {
                listener.accept(event);
            }

            @Override
            public String toString() {
                return listener.toString();
            }
        };
        watchers.add(entry);
        return () -> watchers.remove(entry);
    }

    void publish(RuntimeEvent event) {
        for (Consumer<RuntimeEvent> watcher : watchers) {
            try {
                watcher.accept(event);
            } catch (RuntimeException e) {
                LOG.warn("runtime watcher {} failed on {}", watcher, event, e);
            }
        }
    }

    void clear() {
        watchers.clear();
    }
}
