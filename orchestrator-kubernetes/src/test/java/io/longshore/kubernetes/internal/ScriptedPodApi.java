package io.longshore.kubernetes.internal;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.api.model.PodListBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetrics;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link PodApi} the test scripts: lists answer with the pods it holds (or a queued failure),
 * watches record the resource version they start from, and the test sends events, breaks the
 * watch or expires its resource version. Thread-safe.
 */
final class ScriptedPodApi implements PodApi {
    final Map<String, Pod> pods = new ConcurrentHashMap<>();
    final Deque<RuntimeException> listFailures = new ConcurrentLinkedDeque<>();
    final Deque<RuntimeException> watchFailures = new ConcurrentLinkedDeque<>();
    final List<String> watchedFrom = new CopyOnWriteArrayList<>();
    final AtomicInteger lists = new AtomicInteger();
    volatile String listVersion = "5";
    private volatile Watcher<Pod> watcher;

    static Pod pod(String name, String resourceVersion) {
        return new PodBuilder().withNewMetadata().withName(name).withResourceVersion(resourceVersion).endMetadata()
                .withNewSpec().addNewContainer().withName("acts").withImage("acts:1").endContainer().endSpec()
                .build();
    }

    static KubernetesClientException unreachable() {
        return new KubernetesClientException("Failed to connect", new IOException("Connection refused"));
    }

    @Override
    public String server() {
        return "https://scripted:6443/";
    }

    @Override
    public String namespace() {
        return "scripted";
    }

    @Override
    public Pod create(Pod pod) {
        pods.put(pod.getMetadata().getName(), pod);
        return pod;
    }

    @Override
    public Optional<Pod> get(String name) {
        return Optional.ofNullable(pods.get(name));
    }

    @Override
    public boolean delete(String name, long graceSeconds) {
        return pods.remove(name) != null;
    }

    @Override
    public PodList list(Map<String, String> labels) {
        lists.incrementAndGet();
        RuntimeException failure = listFailures.poll();
        if (failure != null) {
            throw failure;
        }
        return new PodListBuilder().withNewMetadata().withResourceVersion(listVersion).endMetadata()
                .withItems(new ArrayList<>(pods.values())).build();
    }

    @Override
    public Watch watch(Map<String, String> labels, String resourceVersion, Watcher<Pod> watcher) {
        watchedFrom.add(resourceVersion);
        RuntimeException failure = watchFailures.poll();
        if (failure != null) {
            throw failure;
        }
        this.watcher = watcher;
        return () -> { };
    }

    @Override
    public Optional<PodMetrics> metrics(String name) {
        return Optional.empty();
    }

    /** The watcher of the current watch. */
    Watcher<Pod> current() {
        return watcher;
    }

    /** Sends an event on the current watch. */
    void send(Watcher.Action action, Pod pod) {
        watcher.eventReceived(action, pod);
    }

    /** The watch's connection breaks. */
    void breakWatch() {
        watcher.onClose(new WatcherException("connection reset", new IOException("connection reset")));
    }

    /** The server no longer has the watch's resource version: 410 Gone. */
    void expireWatch() {
        watcher.onClose(new WatcherException("too old resource version",
                new KubernetesClientException(new StatusBuilder().withCode(410).withMessage("too old").build())));
    }

    @Override
    public void close() {
    }
}
