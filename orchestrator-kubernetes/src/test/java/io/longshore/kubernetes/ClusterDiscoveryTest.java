package io.longshore.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a runtime finds its cluster: a kubeconfig's chosen context (server, token, namespace), the
 * {@code KUBECONFIG} discovery, and the in-cluster service account (token and namespace files, the
 * {@code KUBERNETES_SERVICE_HOST}/{@code _PORT} of the pod's environment) against an HTTPS mock API
 * server. fabric8 reads the discovery settings from system properties or the environment; the
 * tests set system properties and restore them, which is safe because this module's tests run one
 * at a time.
 */
class ClusterDiscoveryTest {
    private final Map<String, String> savedProperties = new LinkedHashMap<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void restore() throws Exception {
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
        savedProperties.forEach((key, value) -> {
            if (value == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, value);
            }
        });
    }

    @Test
    void theChosenContextOfAKubeconfigGivesTheServerTheTokenAndTheNamespace() throws Exception {
        KubernetesMockServer server = server(false);
        Path kubeconfig = Files.writeString(dir.resolve("config"), """
                apiVersion: v1
                kind: Config
                clusters:
                - {name: elsewhere, cluster: {server: "http://127.0.0.1:9"}}
                - {name: mock, cluster: {server: "%s"}}
                users:
                - {name: nobody, user: {token: wrong-token}}
                - {name: deployer, user: {token: deployer-token}}
                contexts:
                - {name: other, context: {cluster: elsewhere, user: nobody, namespace: other}}
                - {name: shop, context: {cluster: mock, user: deployer, namespace: shop}}
                current-context: other
                """.formatted(server.url("/")));

        KubernetesRuntime runtime = keep(KubernetesRuntime.builder().kubeconfig(kubeconfig).context("shop").build());

        assertThat(runtime.namespace()).isEqualTo("shop");
        assertThat(runtime.list(Map.of())).isEmpty();
        assertThat(podRequests(server, "shop")).isNotEmpty()
                .allSatisfy(request -> assertThat(request.getHeader("Authorization")).isEqualTo("Bearer deployer-token"));
    }

    @Test
    void withoutKubeconfigOrMasterUrlTheRuntimeUsesTheKubeconfigVariable() throws Exception {
        KubernetesMockServer server = server(false);
        Path kubeconfig = Files.writeString(dir.resolve("config"), """
                apiVersion: v1
                kind: Config
                clusters: [{name: mock, cluster: {server: "%s"}}]
                users: [{name: tester, user: {token: variable-token}}]
                contexts: [{name: mock, context: {cluster: mock, user: tester, namespace: found}}]
                current-context: mock
                """.formatted(server.url("/")));
        setProperty("kubeconfig", kubeconfig.toString()); // what fabric8 reads before $KUBECONFIG
        setProperty("kubernetes.auth.tryServiceAccount", "false");

        KubernetesRuntime runtime = keep(KubernetesRuntime.builder().build());

        assertThat(runtime.namespace()).isEqualTo("found");
        assertThat(runtime.isAvailable()).isTrue();
        assertThat(podRequests(server, "found")).isNotEmpty()
                .allSatisfy(request -> assertThat(request.getHeader("Authorization")).isEqualTo("Bearer variable-token"));
    }

    @Test
    void insideAPodTheRuntimeUsesItsServiceAccountTokenAndNamespace() throws Exception {
        KubernetesMockServer server = server(true);
        Path token = Files.writeString(dir.resolve("token"), "service-account-token");
        Path namespace = Files.writeString(dir.resolve("namespace"), "in-cluster");
        URI url = URI.create(server.url("/"));
        // what the kubelet gives every pod: the service's address in the environment, the account's files
        setProperty("kubernetes.auth.tryKubeConfig", "false");
        setProperty("KUBERNETES_SERVICE_HOST", url.getHost());
        setProperty("KUBERNETES_SERVICE_PORT", Integer.toString(url.getPort()));
        setProperty("kubernetes.auth.serviceAccount.token", token.toString());
        setProperty("kubenamespace", namespace.toString());
        setProperty("kubernetes.trust.certificates", "true"); // the mock's certificate is self-signed

        KubernetesRuntime runtime = keep(KubernetesRuntime.builder().build());

        assertThat(runtime.namespace()).isEqualTo("in-cluster");
        assertThat(runtime.toString()).contains("https://" + url.getHost() + ":" + url.getPort());
        assertThat(runtime.isAvailable()).isTrue();
        assertThat(podRequests(server, "in-cluster")).isNotEmpty().allSatisfy(request ->
                assertThat(request.getHeader("Authorization")).isEqualTo("Bearer service-account-token"));
    }

    @SuppressWarnings("deprecation") // Serialization.jsonMapper(): what fabric8's own JUnit extension passes
    private KubernetesMockServer server(boolean https) {
        Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
        KubernetesMockServer server = new KubernetesMockServer(new Context(Serialization.jsonMapper()),
                new MockWebServer(), expectations, new KubernetesMixedDispatcher(expectations), https);
        server.init(InetAddress.getLoopbackAddress(), 0);
        closeables.add(server::destroy);
        return server;
    }

    private KubernetesRuntime keep(KubernetesRuntime runtime) {
        closeables.add(0, runtime);
        return runtime;
    }

    private void setProperty(String key, String value) {
        savedProperties.putIfAbsent(key, System.getProperty(key));
        System.setProperty(key, value);
    }

    /** The requests the server received for pods of {@code namespace}. */
    private static List<RecordedRequest> podRequests(KubernetesMockServer server, String namespace)
            throws InterruptedException {
        List<RecordedRequest> requests = new ArrayList<>();
        for (RecordedRequest request; (request = server.takeRequest(200, TimeUnit.MILLISECONDS)) != null; ) {
            if (request.getPath().startsWith("/api/v1/namespaces/" + namespace + "/pods")) {
                requests.add(request);
            }
        }
        return requests;
    }
}
