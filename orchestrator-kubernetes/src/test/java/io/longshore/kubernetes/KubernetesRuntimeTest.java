package io.longshore.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetricsBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.longshore.api.ContainerInfo;
import io.longshore.api.ContainerRuntimeException;
import io.longshore.api.ContainerSpec;
import io.longshore.api.Endpoint;
import io.longshore.api.ImageNotFoundException;
import io.longshore.api.ResourceStats;
import io.longshore.api.RuntimeEvent;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runtime's Kubernetes-specific behaviour against the mock API server and the fake kubelet. */
class KubernetesRuntimeTest {
    private static final AtomicInteger SERVICES = new AtomicInteger();
    private static MockCluster cluster;

    private final List<KubernetesRuntimeEvent> events = new CopyOnWriteArrayList<>();
    private final List<RuntimeEvent> exits = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final String service = "svc" + SERVICES.incrementAndGet();
    private String namespace;

    @BeforeAll
    static void startCluster() {
        cluster = new MockCluster();
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @BeforeEach
    void takeANamespace() {
        namespace = cluster.newNamespace();
    }

    @AfterEach
    void closeRuntimes() throws Exception {
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
    }

    private KubernetesRuntime runtime(KubernetesRuntimeBuilder builder) {
        KubernetesRuntime runtime = builder.listener(events::add).build();
        closeables.add(runtime);
        closeables.add(runtime.watch(exits::add));
        return runtime;
    }

    private KubernetesRuntime runtime() {
        return runtime(cluster.runtimeBuilder(namespace));
    }

    private ContainerSpec spec(String image) {
        return ContainerSpec.builder(service).image(image).label("io.longshore.service", service).build();
    }

    private static Endpoint freeEndpoint() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return Endpoint.loopback(socket.getLocalPort());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<Pod> podsOfService() {
        return cluster.client().pods().inNamespace(namespace).withLabel("io.longshore.service", service)
                .list().getItems();
    }

    @Test
    void theCreatedPodCarriesTheSpecAndTheRuntimesSettingsAndStartReturnsItsIpAndPort() {
        KubernetesRuntime runtime = runtime(cluster.runtimeBuilder(namespace).serviceAccount("replicas")
                .nodeSelector("pool", "web").toleration("dedicated", "Equal", "web", "NoExecute")
                .podOverlay("spec:\n  priorityClassName: batch\n"));
        Endpoint endpoint = freeEndpoint();

        ContainerInfo info = runtime.start(spec("acts:1").toBuilder().cpus(0.25).memoryBytes(64L << 20).build(),
                endpoint, Map.of("io.longshore.replica", "r1"));

        assertThat(info.endpoint()).isEqualTo(new Endpoint(FakeKubelet.POD_IP, endpoint.port()));
        assertThat(info.running()).isTrue();
        Pod pod = cluster.client().pods().inNamespace(namespace).withName(info.id()).get();
        Container container = pod.getSpec().getContainers().get(0);
        assertThat(container.getResources().getLimits()).containsEntry("cpu", new Quantity("250m"))
                .containsEntry("memory", new Quantity(Long.toString(64L << 20)));
        assertThat(pod.getSpec().getServiceAccountName()).isEqualTo("replicas");
        assertThat(pod.getSpec().getNodeSelector()).containsEntry("pool", "web");
        assertThat(pod.getSpec().getTolerations()).extracting("key").containsExactly("dedicated");
        assertThat(pod.getSpec().getPriorityClassName()).isEqualTo("batch");
        assertThat(info.labels()).containsEntry("io.longshore.replica", "r1").containsEntry("io.longshore.service", service);
    }

    @Test
    void anImageThatCannotBePulledFailsTheStartWithTheReasonAndLeavesNoPod() {
        cluster.kubelet().failPulls("registry.example/missing:1");
        KubernetesRuntime runtime = runtime();

        assertThatThrownBy(() -> runtime.start(spec("registry.example/missing:1"), freeEndpoint(), Map.of()))
                .isInstanceOfSatisfying(ImageNotFoundException.class,
                        e -> assertThat(e.image()).isEqualTo("registry.example/missing:1"))
                .hasMessageContaining("ErrImagePull").hasMessageContaining("pull access denied");

        await().until(() -> podsOfService().isEmpty());
        assertThat(events).singleElement().isInstanceOfSatisfying(KubernetesRuntimeEvent.PodStartFailed.class,
                e -> assertThat(e.reason()).startsWith("ErrImagePull"));
        assertThat(exits).isEmpty();
    }

    @Test
    void aPodPendingPastTheDeadlineIsDeletedAndItsStartFailsWithTheSchedulersReason() {
        cluster.kubelet().leavePending("acts:too-big");
        KubernetesRuntime runtime = runtime(cluster.runtimeBuilder(namespace).pendingTimeout(Duration.ofSeconds(2)));

        assertThatThrownBy(() -> runtime.start(spec("acts:too-big"), freeEndpoint(), Map.of()))
                .isInstanceOf(ContainerRuntimeException.class)
                .hasMessageContaining("still pending after PT2S")
                .hasMessageContaining("Unschedulable: 0/1 nodes are available: 1 Insufficient cpu.");

        await().until(() -> podsOfService().isEmpty());
        assertThat(events).singleElement().isInstanceOfSatisfying(KubernetesRuntimeEvent.PodPendingTooLong.class,
                e -> assertThat(e.pending()).isEqualTo(Duration.ofSeconds(2)));
        assertThat(exits).isEmpty();
    }

    @Test
    void anOomKilledContainerIsReportedAsKilledForMemory() {
        KubernetesRuntime runtime = runtime();
        ContainerInfo info = runtime.start(spec("acts:1"), freeEndpoint(), Map.of());

        cluster.kubelet().oomKill(info.id());

        await().until(() -> exits.size() == 1);
        assertThat(exits.get(0).containerId()).isEqualTo(info.id());
        assertThat(exits.get(0).kind()).isEqualTo(RuntimeEvent.Kind.OOM_KILLED);
        assertThat(exits.get(0).exitCode()).isEqualTo(137);
    }

    @Test
    void anEvictedPodIsReportedAsAnExitAndAnEviction() {
        KubernetesRuntime runtime = runtime();
        ContainerInfo info = runtime.start(spec("acts:1"), freeEndpoint(), Map.of());

        cluster.kubelet().evict(info.id());

        await().until(() -> exits.size() == 1);
        assertThat(exits.get(0).kind()).isEqualTo(RuntimeEvent.Kind.EXITED);
        assertThat(events).singleElement().isInstanceOfSatisfying(KubernetesRuntimeEvent.PodEvicted.class,
                e -> assertThat(e.reason()).isEqualTo("Evicted: The node was low on resource: memory."));
        assertThat(runtime.list(Map.of("io.longshore.service", service))).singleElement()
                .satisfies(c -> assertThat(c.running()).isFalse());
    }

    @Test
    void aPodDeletedBySomeoneElseIsReportedOnceAsSoonAsItsDeletionStarts() {
        KubernetesRuntime runtime = runtime();
        ContainerInfo info = runtime.start(spec("acts:1"), freeEndpoint(), Map.of());

        cluster.client().pods().inNamespace(namespace).withName(info.id()).delete();

        await().until(() -> exits.size() == 1);
        assertThat(exits.get(0).exitCode()).isEqualTo(-1);
        await().until(() -> podsOfService().isEmpty());
        assertThat(exits).hasSize(1);
        assertThat(events).singleElement().isInstanceOf(KubernetesRuntimeEvent.PodEvicted.class);
    }

    @Test
    void statsComeFromTheMetricsApiWithTheMemoryLimitOfThePod() {
        KubernetesRuntime runtime = runtime();
        ContainerInfo info = runtime.start(spec("acts:1").toBuilder().memoryBytes(128L << 20).build(), freeEndpoint(),
                Map.of());
        cluster.server().expect().get()
                .withPath("/apis/metrics.k8s.io/v1beta1/namespaces/" + namespace + "/pods/" + info.id())
                .andReturn(200, new PodMetricsBuilder().withNewMetadata().withName(info.id()).endMetadata()
                        .addNewContainer().withName(service).addToUsage("cpu", new Quantity("250m"))
                        .addToUsage("memory", new Quantity("64Mi")).endContainer().build())
                .once();

        ResourceStats stats = runtime.stats(info.id()).orElseThrow();

        assertThat(stats.cpuPercent()).isEqualTo(25.0);
        assertThat(stats.memoryBytes()).isEqualTo(64L << 20);
        assertThat(stats.memoryLimitBytes()).isEqualTo(128L << 20);
    }

    @Test
    void statsAreEmptyWhenTheClusterHasNoMetricsApi() {
        KubernetesRuntime runtime = runtime();
        ContainerInfo info = runtime.start(spec("acts:1"), freeEndpoint(), Map.of());

        assertThat(runtime.stats(info.id())).isEmpty();
    }

    @Test
    void aRuntimeConfiguredByAKubeconfigTakesItsContextsNamespace(@TempDir Path dir) {
        KubernetesRuntime runtime = runtime(KubernetesRuntime.builder()
                .kubeconfig(cluster.writeKubeconfig(dir.resolve("config"), namespace)));

        ContainerInfo info = runtime.start(spec("acts:1"), freeEndpoint(), Map.of());

        assertThat(runtime.namespace()).isEqualTo(namespace);
        assertThat(info.running()).isTrue();
        assertThat(runtime.list(Map.of("io.longshore.service", service))).extracting(ContainerInfo::id)
                .containsExactly(info.id());
    }

    @Test
    void aNewRuntimeListsThePodsOfAnEarlierOneWithTheirEndpointsAndLabels() {
        KubernetesRuntime earlier = runtime();
        Endpoint endpoint = freeEndpoint();
        ContainerInfo started = earlier.start(spec("acts:1"), endpoint, Map.of("io.longshore.port", "8000"));
        earlier.close();

        List<ContainerInfo> listed = runtime().list(Map.of("io.longshore.service", service));

        assertThat(listed).singleElement().satisfies(info -> {
            assertThat(info.id()).isEqualTo(started.id());
            assertThat(info.endpoint()).isEqualTo(new Endpoint(FakeKubelet.POD_IP, endpoint.port()));
            assertThat(info.running()).isTrue();
            assertThat(info.labels()).containsEntry("io.longshore.port", "8000");
        });
    }

    @Test
    void anUnreachableApiServerFailsTheStartSayingSoAndIsAnEvent() {
        KubernetesRuntime runtime = runtime(KubernetesRuntime.builder().masterUrl("http://127.0.0.1:" + freeEndpoint().port())
                .namespace("shop").connectTimeout(Duration.ofSeconds(1)).reconnectBackoff(Duration.ofSeconds(5),
                        Duration.ofSeconds(5)));

        assertThatThrownBy(() -> runtime.start(spec("acts:1"), freeEndpoint(), Map.of()))
                .isInstanceOf(ContainerRuntimeException.class)
                .hasMessageContaining("is unreachable");
        assertThat(events).first().isInstanceOf(KubernetesRuntimeEvent.ApiServerUnreachable.class);
        assertThat(runtime.isAvailable()).isFalse();
    }

    @Test
    void aForbiddenCreateSaysWhichPermissionsTheRuntimeNeeds() {
        cluster.server().expect().post().withPath("/api/v1/namespaces/" + namespace + "/pods")
                .andReturn(403, new StatusBuilder().withCode(403).withMessage("pods is forbidden: User"
                        + " \"system:serviceaccount:shop:default\" cannot create resource \"pods\"").build())
                .once();
        KubernetesRuntime runtime = runtime();

        assertThatThrownBy(() -> runtime.start(spec("acts:1"), freeEndpoint(), Map.of()))
                .isInstanceOf(ContainerRuntimeException.class)
                .hasMessageContaining("forbidden (403)")
                .hasMessageContaining("pods: create, get, list, watch, delete")
                .hasMessageContaining("cannot create resource");
    }

    @Test
    void aCreateThatGotThroughButWasAnsweredWithAnErrorIsRetriedAndItsConflictRunsThePod() {
        String pods = "/api/v1/namespaces/" + namespace + "/pods";
        // the server stores the pod, then its answer fails; the client's retry then meets 409 AlreadyExists
        cluster.server().expect().post().withPath(pods).andReply(504, request -> {
            cluster.carryOut(request);
            return new StatusBuilder().withCode(504).withMessage("Timeout: request did not complete").build();
        }).once();
        KubernetesRuntime runtime = runtime();

        ContainerInfo info = runtime.start(spec("acts:1"), freeEndpoint(), Map.of());

        assertThat(info.running()).isTrue();
        assertThat(podsOfService()).extracting(pod -> pod.getMetadata().getName()).containsExactly(info.id());
    }

    @Test
    void aCreateThatFailsWithoutARefusalDeletesThePodByItsNameAndNamesItInTheFailure() throws Exception {
        String pods = "/api/v1/namespaces/" + namespace + "/pods";
        List<String> attempted = new CopyOnWriteArrayList<>();
        cluster.server().expect().post().withPath(pods).andReply(504, request -> {
            attempted.add(Serialization.unmarshal(request.getUtf8Body(), Pod.class).getMetadata().getName());
            return new StatusBuilder().withCode(504).withMessage("Timeout: request did not complete").build();
        }).always();
        KubernetesRuntime runtime = runtime();

        assertThatThrownBy(() -> runtime.start(spec("acts:1"), freeEndpoint(), Map.of()))
                .isInstanceOfSatisfying(ContainerRuntimeException.class,
                        e -> assertThat(e.containerId()).isNotNull().isEqualTo(attempted.get(0)));
        assertThat(requestsSince()).contains("DELETE " + pods + "/" + attempted.get(0));
    }

    @Test
    void aPodTheRuntimeDeletesAfterItsCreateWentUnansweredIsReportedNeitherAsAnExitNorAsAnEviction() {
        KubernetesRuntime runtime = runtime();
        ContainerInfo sentinel = runtime.start(ContainerSpec.builder("sentinel").image("acts:1").build(), freeEndpoint(),
                Map.of());
        String pods = "/api/v1/namespaces/" + namespace + "/pods";
        // the next create is stored and answered 504; the client's retries (of a pod that exists) get 504 too
        var timeout = new StatusBuilder().withCode(504).withMessage("Timeout: request did not complete").build();
        cluster.server().expect().post().withPath(pods).andReply(504, request -> {
            cluster.carryOut(request);
            cluster.server().expect().post().withPath(pods).andReturn(504, timeout).always();
            return timeout;
        }).once();

        assertThatThrownBy(() -> runtime.start(spec("acts:1"), freeEndpoint(), Map.of()))
                .isInstanceOf(ContainerRuntimeException.class).hasMessageContaining("deleted the pod");
        await().until(() -> podsOfService().isEmpty());
        // the watch shows the sentinel's end only after all it showed of the deleted pod
        cluster.kubelet().terminate(sentinel.id(), 3, "Error");

        await().until(() -> !exits.isEmpty());
        assertThat(exits).as("exits reported").extracting(RuntimeEvent::containerId).containsExactly(sentinel.id());
        assertThat(events).as("runtime events").isEmpty();
    }

    /** The method and path of every request the server got since the last call. */
    private static List<String> requestsSince() throws InterruptedException {
        List<String> requests = new ArrayList<>();
        for (var request = cluster.server().takeRequest(0, TimeUnit.SECONDS); request != null;
             request = cluster.server().takeRequest(0, TimeUnit.SECONDS)) {
            requests.add(request.getMethod() + " " + request.getPath().replaceAll("\\?.*", ""));
        }
        return requests;
    }

    @Test
    void aServiceWhoseNameIsNoLabelValueIsRefusedAsItsPodsCouldNotBeListed() {
        String shop = "Shop API";
        ContainerSpec spec = ContainerSpec.builder(shop).image("acts:1").build();

        assertThatThrownBy(() -> runtime().start(spec, freeEndpoint(),
                Map.of("io.longshore.orchestrator", shop, "io.longshore.service", shop)))
                .isInstanceOf(ContainerRuntimeException.class)
                .hasMessageContaining("='Shop API'")
                .hasMessageContaining("service and orchestrator names must be valid label values");
        assertThat(cluster.client().pods().inNamespace(namespace).list().getItems()).isEmpty();
    }

    @Test
    void aSpecWithoutAnImageIsRefused() {
        ContainerSpec commandOnly = ContainerSpec.builder(service).command("java", "-jar", "acts.jar").build();

        assertThatThrownBy(() -> runtime().start(commandOnly, freeEndpoint(), Map.of()))
                .isInstanceOf(ContainerRuntimeException.class).hasMessageContaining("has no image");
    }

    @Test
    void aClosedRuntimeRefusesWork() {
        KubernetesRuntime runtime = runtime();
        runtime.close();

        assertThatThrownBy(() -> runtime.list(Map.of())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }
}
