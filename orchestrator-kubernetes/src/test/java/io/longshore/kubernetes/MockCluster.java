package io.longshore.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;

/**
 * fabric8's mock API server in CRUD mode over plain HTTP on 127.0.0.1, a client on it, and a
 * {@link FakeKubelet} for every namespace: a cluster for tests. {@link #runtime()} builds a
 * {@link KubernetesRuntime} on it; {@link #writeKubeconfig(Path)} writes a kubeconfig that points
 * at it. Expectations set on {@link #server()} take precedence over the CRUD behaviour.
 *
 * <p>The mock server (8.0.0) blocks its only event loop for up to 30 s when a client closes a
 * watch while events are being sent to it, whatever the namespace: as when a new runtime's watch
 * is closed while the server still replays the namespace's pods to it, or a runtime is closed
 * while its pods are being deleted. Every request of every client waits meanwhile. So give each
 * short-lived runtime a namespace of its own ({@link #newNamespace()}), and close a runtime
 * only when its namespace is quiet, or after the server. Thread-safe; close it after use.
 */
public final class MockCluster implements AutoCloseable {
    /** The namespace of {@link #runtimeBuilder()}. */
    public static final String NAMESPACE = "longshore-test";
    private final java.util.concurrent.atomic.AtomicInteger namespaces = new java.util.concurrent.atomic.AtomicInteger();

    /** Held so the level sticks: the mock server logs every request at INFO through java.util.logging. */
    private final java.util.logging.Logger mockLog = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");
    private final KubernetesMockServer server;
    private final KubernetesMixedDispatcher dispatcher;
    private final KubernetesClient client;
    private final FakeKubelet kubelet;

    @SuppressWarnings("deprecation") // Serialization.jsonMapper(): what fabric8's own JUnit extension passes
    public MockCluster() {
        mockLog.setLevel(java.util.logging.Level.WARNING);
        Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
        dispatcher = new KubernetesMixedDispatcher(expectations);
        server = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(), expectations,
                dispatcher, false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        client = server.createClient();
        kubelet = new FakeKubelet(client);
    }

    /**
     * Serves {@code request} here and now, as the server would once no expectation for it is
     * left: from an expectation's reply, the server carries out the request whose answer the
     * expectation then replaces (a request that got through with its answer lost).
     */
    public void carryOut(RecordedRequest request) {
        dispatcher.dispatch(request);
    }

    /** The API server's URL, e.g. {@code http://127.0.0.1:40123/}. */
    public String url() {
        return server.url("/");
    }

    public KubernetesMockServer server() {
        return server;
    }

    /** A client of the cluster, for tests that act as someone else (kubectl, an operator). */
    public KubernetesClient client() {
        return client;
    }

    public FakeKubelet kubelet() {
        return kubelet;
    }

    /** A namespace no runtime used yet. */
    public String newNamespace() {
        return "test-" + namespaces.incrementAndGet();
    }

    /** A builder on this cluster and {@link #NAMESPACE}, with short deadlines for tests. */
    public KubernetesRuntimeBuilder runtimeBuilder() {
        return runtimeBuilder(NAMESPACE);
    }

    /** A builder on this cluster and {@code namespace}, with short deadlines for tests. */
    public KubernetesRuntimeBuilder runtimeBuilder(String namespace) {
        return KubernetesRuntime.builder().masterUrl(url()).namespace(namespace)
                .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(400))
                .requestTimeout(Duration.ofSeconds(10));
    }

    public KubernetesRuntime runtime() {
        return runtimeBuilder().build();
    }

    /** Writes a kubeconfig whose current context is this cluster and {@link #NAMESPACE}; returns the file. */
    public Path writeKubeconfig(Path file) {
        return writeKubeconfig(file, NAMESPACE);
    }

    /** Writes a kubeconfig whose current context is this cluster and {@code namespace}; returns the file. */
    public Path writeKubeconfig(Path file, String namespace) {
        String kubeconfig = """
                apiVersion: v1
                kind: Config
                clusters:
                - name: mock
                  cluster:
                    server: %s
                users:
                - name: tester
                  user:
                    token: mock-token
                contexts:
                - name: mock
                  context:
                    cluster: mock
                    user: tester
                    namespace: %s
                current-context: mock
                """.formatted(url(), namespace);
        try {
            return Files.writeString(file, kubeconfig);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        kubelet.close();
        client.close();
        server.destroy();
    }
}
