package io.longshore.kubernetes.internal;

import io.fabric8.kubernetes.api.model.ListOptions;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.PodResource;
import io.fabric8.kubernetes.client.dsl.internal.BaseOperation;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/** {@link PodApi} on a fabric8 {@link KubernetesClient} the runtime owns. Thread-safe. */
final class Fabric8PodApi implements PodApi {
    private final KubernetesClient client;
    private final String namespace;
    private final Duration watchDeadline;

    /** {@code watchDeadline}: how long {@link #watch} waits for the watch to be established. */
    Fabric8PodApi(KubernetesClient client, String namespace, Duration watchDeadline) {
        this.client = client;
        this.namespace = namespace;
        this.watchDeadline = watchDeadline;
    }

    private NonNamespaceOperation<Pod, PodList, PodResource> pods() {
        MixedOperation<Pod, PodList, PodResource> pods = client.pods();
        return pods.inNamespace(namespace);
    }

    @Override
    public String server() {
        return String.valueOf(client.getMasterUrl());
    }

    @Override
    public String namespace() {
        return namespace;
    }

    @Override
    public Pod create(Pod pod) {
        return pods().resource(pod).create();
    }

    @Override
    public Optional<Pod> get(String name) {
        return Optional.ofNullable(pods().withName(name).get());
    }

    @Override
    public boolean delete(String name, long graceSeconds) {
        return !pods().withName(name).withGracePeriod(graceSeconds).delete().isEmpty();
    }

    @Override
    public PodList list(Map<String, String> labels) {
        return pods().withLabels(labels).list();
    }

    @Override
    public Watch watch(Map<String, String> labels, String resourceVersion, Watcher<Pod> watcher) {
        ListOptions options = new ListOptionsBuilder()
                .withLabelSelector(selector(labels))
                .withResourceVersion(resourceVersion)
                .withAllowWatchBookmarks(true)
                .build();
        NonNamespaceOperation<Pod, PodList, PodResource> pods = pods();
        if (pods instanceof BaseOperation<Pod, PodList, PodResource> operation) {
            return established(operation.submitWatch(options, watcher), watchDeadline);
        }
        // not fabric8's BaseOperation, so no future to wait for: the blocking call, without the
        // deadline (fabric8's own watch waits for ever)
        return pods.watch(options, watcher);
    }

    /**
     * The watch {@code pending} completes with, once established within {@code deadline}; its
     * failure as fabric8's blocking {@code watch} throws it (a 410 stays a 410). A watch not
     * established by then is closed as soon as it is, and a {@link KubernetesClientException}
     * without a status code says so. {@code pending} is not cancelled: fabric8 derives it from the
     * handshake, which a cancel would not stop, and a watch established later could then not be closed.
     */
    static Watch established(CompletableFuture<? extends Watch> pending, Duration deadline) {
        try {
            return pending.get(Math.max(1, deadline.toMillis()), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            pending.thenAccept(Watch::close);
            throw new KubernetesClientException("the pod watch was not established within "
                    + deadline.toMillis() + " ms (connectTimeout + requestTimeout)");
        } catch (ExecutionException e) {
            throw KubernetesClientException.launderThrowable(e.getCause() != null ? e.getCause() : e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pending.thenAccept(Watch::close);
            throw KubernetesClientException.launderThrowable(e);
        }
    }

    @Override
    public Optional<PodMetrics> metrics(String name) {
        try {
            return Optional.ofNullable(client.top().pods().metrics(namespace, name));
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** {@code a=1,b=2}, sorted, as a label selector. */
    static String selector(Map<String, String> labels) {
        return new TreeMap<>(labels).entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
    }

    @Override
    public void close() {
        client.close();
    }

    @Override
    public String toString() {
        return "pods in namespace " + namespace + " at " + server();
    }
}
