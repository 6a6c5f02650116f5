package io.longshore.kubernetes.internal;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** The pods being stopped: for each, a future completed once the pod is gone. Thread-safe. */
final class Deletions implements PodListener {
    private final Map<String, CompletableFuture<Void>> pending = new ConcurrentHashMap<>();

    /** Registers a stop before the delete is sent. */
    CompletableFuture<Void> expect(String name) {
        return pending.computeIfAbsent(name, ignored -> new CompletableFuture<>());
    }

    void forget(String name) {
        pending.remove(name);
    }

    @Override
    public void changed(Pod pod, boolean history) {
        // only the end matters
    }

    @Override
    public void gone(String name, Pod last) {
        CompletableFuture<Void> deletion = pending.get(name);
        if (deletion != null) {
            deletion.complete(null);
        }
    }
}
