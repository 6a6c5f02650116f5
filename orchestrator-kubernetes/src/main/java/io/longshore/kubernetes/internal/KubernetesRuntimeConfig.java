package io.longshore.kubernetes.internal;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.longshore.api.Clock;
import io.longshore.kubernetes.KubernetesRuntimeEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Consumer;

/**
 * The settings of a {@link io.longshore.kubernetes.KubernetesRuntime}, validated by {@link io.longshore.kubernetes.KubernetesRuntimeBuilder}.
 * Immutable.
 *
 * @param kubeconfig      a kubeconfig file, or {@code null}
 * @param context         the kubeconfig context, or {@code null} for its current one
 * @param masterUrl       the API server's URL without a kubeconfig, or {@code null}
 * @param namespace       the pods' namespace, or {@code null} for the configuration's (else {@code default})
 * @param serviceAccount  the pods' service account, or {@code null} for the namespace's default
 * @param nodeSelector    the pods' node selector
 * @param tolerations     the pods' tolerations
 * @param overlay         the pod-template overlay
 * @param clock           time of events, pod names and deadlines
 * @param pendingTimeout  how long a pod may take from creation to running
 * @param startWait       how long {@code start} waits for the pod to run before it returns without an endpoint
 * @param connectTimeout  connecting to the API server
 * @param requestTimeout  waiting for one answer of the API server
 * @param reconnect       delays between attempts to list or watch after a failure
 * @param listeners       receivers of {@link KubernetesRuntimeEvent}s
 */
public record KubernetesRuntimeConfig(Path kubeconfig, String context, String masterUrl, String namespace,
                               String serviceAccount, Map<String, String> nodeSelector, List<Toleration> tolerations,
                               PodOverlay overlay, Clock clock, Duration pendingTimeout, Duration startWait,
                               Duration connectTimeout,
                               Duration requestTimeout, Backoff reconnect,
                               List<Consumer<KubernetesRuntimeEvent>> listeners) {
    /** Retries of one request by the client itself (on I/O errors and 5xx); the runtime retries the rest. */
    private static final int CLIENT_RETRIES = 1;

    public KubernetesRuntimeConfig {
        nodeSelector = Map.copyOf(nodeSelector);
        tolerations = List.copyOf(tolerations);
        listeners = List.copyOf(listeners);
    }

    /** A client on the kubeconfig, the master URL, or else the usual discovery; and its namespace. */
    public PodApi connect() {
        Config base;
        if (kubeconfig != null) {
            base = Config.fromKubeconfig(context, kubeconfig.toFile());
        } else if (masterUrl != null) {
            base = new ConfigBuilder(Config.empty()).withMasterUrl(masterUrl).build();
        } else {
            base = Config.autoConfigure(context);
        }
        // a plain-http API server (kubectl proxy, a test server) gets HTTP/1.1: the JDK client would try
        // an h2c upgrade, which such servers rarely handle well
        boolean plainHttp = String.valueOf(base.getMasterUrl()).startsWith("http://");
        Config config = new ConfigBuilder(base)
                .withHttp2Disable(plainHttp || base.isHttp2Disable())
                .withWatchReconnectLimit(0)
                .withConnectionTimeout(millis(connectTimeout))
                .withRequestTimeout(millis(requestTimeout))
                .withRequestRetryBackoffLimit(CLIENT_RETRIES)
                .build();
        KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(config)
                .withHttpClientFactory(new JdkHttpClientFactory())
                .build();
        String ns = namespace != null ? namespace
                : base.getNamespace() != null && !base.getNamespace().isBlank() ? base.getNamespace() : "default";
        // establishing a watch takes a connection and one answer (the WebSocket handshake's)
        return new Fabric8PodApi(client, ns, connectTimeout.plus(requestTimeout));
    }

    private static int millis(Duration duration) {
        return (int) Math.min(Integer.MAX_VALUE, duration.toMillis());
    }

    /** One daemon thread for listing, watching and retrying; the runtime shuts it down on close. */
    ScheduledExecutorService backgroundExecutor() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "longshore-kubernetes-pods");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }
}
