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
import java.net.HttpURLConnection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** {@link PodApi} on a fabric8 {@link KubernetesClient} the runtime owns. Thread-safe. */
final class Fabric8PodApi implements PodApi {
    private final KubernetesClient client;
    private final String namespace;

    Fabric8PodApi(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
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
        return pods().watch(options, watcher);
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
