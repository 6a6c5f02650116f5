package io.longshore.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.longshore.api.ContainerInfo;
import io.longshore.api.ContainerRuntime;
import io.longshore.api.ContainerSpec;
import io.longshore.api.Endpoint;
import io.longshore.api.RuntimeEvent;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Starts that return before their pod runs (the start wait passed): the endpoint comes as an
 * event when the pod runs; a pod that then fails or stays pending past its deadline is reported
 * as an exit and deleted; a pod stopped before it runs is reported as nothing.
 */
class DeferredStartTest {
    private static final AtomicInteger IMAGES = new AtomicInteger();
    private static MockCluster cluster;

    private final String image = "acts:held-" + IMAGES.incrementAndGet();
    private final List<RuntimeEvent> reported = new CopyOnWriteArrayList<>();
    private final List<KubernetesRuntimeEvent> events = new CopyOnWriteArrayList<>();
    private KubernetesRuntime runtime;
    private AutoCloseable watch;

    @BeforeAll
    static void startCluster() {
        cluster = new MockCluster();
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @AfterEach
    void closeRuntime() throws Exception {
        watch.close();
        runtime.close();
    }

    private ContainerInfo startHeld(Duration pendingTimeout) {
        cluster.kubelet().leavePending(image);
        runtime = cluster.runtimeBuilder(cluster.newNamespace()).startWait(Duration.ofMillis(100)).pendingTimeout(pendingTimeout)
                .listener(events::add).build();
        watch = runtime.watch(reported::add);
        return runtime.start(ContainerSpec.builder("held").image(image).build(), freeEndpoint(), Map.of("test", image.replace(':', '-')));
    }

    private List<ContainerInfo> listed() {
        return runtime.list(Map.of("test", image.replace(':', '-')));
    }

    @Test
    void theRuntimeSaysItAssignsEndpointsAndAPendingStartReturnsWithoutOne() {
        ContainerInfo info = startHeld(Duration.ofMinutes(2));

        assertThat(runtime.endpointMode()).isEqualTo(ContainerRuntime.EndpointMode.ASSIGNED);
        assertThat(info.hasEndpoint()).isFalse();
        assertThat(info.running()).isTrue();
        assertThat(listed()).singleElement().satisfies(c -> assertThat(c.hasEndpoint()).isFalse());
    }

    @Test
    void theEndpointIsReportedOnceWhenThePodRunsAndListedFromThen() {
        ContainerInfo info = startHeld(Duration.ofMinutes(2));

        cluster.kubelet().schedule(info.id());

        await().until(() -> reported.size() == 1);
        RuntimeEvent assigned = reported.get(0);
        assertThat(assigned.kind()).isEqualTo(RuntimeEvent.Kind.ENDPOINT_ASSIGNED);
        assertThat(assigned.containerId()).isEqualTo(info.id());
        assertThat(assigned.endpoint().host()).isEqualTo(FakeKubelet.POD_IP);
        assertThat(listed()).singleElement().satisfies(c -> {
            assertThat(c.endpoint()).isEqualTo(assigned.endpoint());
            assertThat(c.running()).isTrue();
        });
        assertThat(cluster.kubelet().isServing(info.id())).isTrue();
    }

    @Test
    void anImagePullFailureAfterTheStartReturnedIsAnExitWithTheReasonAndThePodIsDeleted() {
        ContainerInfo info = startHeld(Duration.ofMinutes(2));

        cluster.kubelet().failPull(info.id());

        await().until(() -> reported.size() == 1);
        assertThat(reported.get(0).kind()).isEqualTo(RuntimeEvent.Kind.EXITED);
        assertThat(reported.get(0).containerId()).isEqualTo(info.id());
        assertThat(events).singleElement().isInstanceOfSatisfying(KubernetesRuntimeEvent.PodStartFailed.class,
                e -> assertThat(e.reason()).startsWith("ErrImagePull"));
        await().until(() -> listed().isEmpty());
    }

    @Test
    void aPodStillPendingAtItsDeadlineAfterTheStartReturnedIsDeletedAndReportedAsAnExit() {
        ContainerInfo info = startHeld(Duration.ofSeconds(1));

        await().atMost(Duration.ofSeconds(10)).until(() -> reported.size() == 1);

        assertThat(reported.get(0).kind()).isEqualTo(RuntimeEvent.Kind.EXITED);
        assertThat(reported.get(0).containerId()).isEqualTo(info.id());
        assertThat(events).singleElement().isInstanceOfSatisfying(KubernetesRuntimeEvent.PodPendingTooLong.class,
                e -> assertThat(e.reason()).startsWith("Unschedulable"));
        await().until(() -> listed().isEmpty());
    }

    @Test
    void aPodStoppedBeforeItRunsIsReportedAsNothing() {
        ContainerInfo info = startHeld(Duration.ofSeconds(1));

        runtime.stop(info.id(), Duration.ofSeconds(1));

        assertThat(listed()).isEmpty();
        ContainerInfo sentinel = runtime.start(ContainerSpec.builder("sentinel").image("acts:1").build(), freeEndpoint(),
                Map.of());
        // On a loaded machine the start may return before the sentinel runs; it must run before
        // it exits, or its exit is a start failure (an event of its own) rather than an exit.
        await().atMost(Duration.ofSeconds(10)).until(() -> sentinel.hasEndpoint() || reported.stream()
                .anyMatch(e -> e.containerId().equals(sentinel.id()) && e.kind() == RuntimeEvent.Kind.ENDPOINT_ASSIGNED));
        cluster.kubelet().terminate(sentinel.id(), 2, "Error");
        await().atMost(Duration.ofSeconds(10)).until(() -> reported.stream().anyMatch(e -> e.containerId().equals(sentinel.id())
                && e.isExit()));
        assertThat(reported).extracting(RuntimeEvent::containerId).doesNotContain(info.id());
        assertThat(events).isEmpty();
    }

    private static Endpoint freeEndpoint() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return Endpoint.loopback(socket.getLocalPort());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
