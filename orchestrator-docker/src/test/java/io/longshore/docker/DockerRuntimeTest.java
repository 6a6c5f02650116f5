package io.longshore.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.command.InspectContainerResponse;
import io.longshore.api.ContainerInfo;
import io.longshore.api.ContainerSpec;
import io.longshore.api.Endpoint;
import io.longshore.api.ImageNotFoundException;
import io.longshore.api.RuntimeEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@RequiresDocker
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DockerRuntimeTest {
    private final List<AutoCloseable> watches = new ArrayList<>();
    private DockerTestSupport docker;
    private DockerRuntime runtime;

    @BeforeAll
    void connect() {
        docker = new DockerTestSupport(22_100, 22_299);
        runtime = docker.runtime();
    }

    @AfterEach
    void closeWatches() throws Exception {
        for (AutoCloseable watch : watches) {
            watch.close();
        }
        watches.clear();
    }

    @AfterAll
    void removeContainers() {
        if (docker != null) {
            docker.close();
        }
    }

    private ContainerInfo start(ContainerSpec spec) {
        return runtime.start(spec, Endpoint.loopback(docker.freePort()), docker.labels());
    }

    /** The events of one container: the engine is shared, so a watcher also sees other users' managed containers. */
    private static List<RuntimeEvent> of(List<RuntimeEvent> events, String... containerIds) {
        List<String> ids = List.of(containerIds);
        return events.stream().filter(e -> ids.contains(e.containerId())).toList();
    }

    private static Map<String, String> withLabel(Map<String, String> labels, String name, String value) {
        Map<String, String> all = new HashMap<>(labels);
        all.put(name, value);
        return all;
    }

    private ContainerSpec workload() {
        return BusyboxWorkloadImage.spec("runtime-test").build();
    }

    @Test
    void aStartedContainerServesTheWorkloadOnItsPortOfLoopback() {
        ContainerInfo info = start(workload());
        int port = info.endpoint().port();

        await().atMost(Duration.ofSeconds(10)).until(() -> DockerTestSupport.status(port, "GET", "/api/v1/_health") == 200);
        DockerTestSupport.Response hello = DockerTestSupport.call(port, "GET", "/hello");
        assertThat(hello.status()).isEqualTo(200);
        assertThat(hello.replica()).isEqualTo(Integer.toString(port));
        assertThat(hello.body()).isEqualTo("replica " + port + " GET /hello");
    }

    @Test
    void aContainerCarriesTheSpecsLabelsTheCallersLabelsAndItsEndpointAndIsListedAsRunning() {
        ContainerSpec spec = workload().toBuilder().label("from.spec", "s").build();
        ContainerInfo info = runtime.start(spec, Endpoint.loopback(docker.freePort()),
                withLabel(docker.labels(), "from.caller", "c"));

        List<ContainerInfo> listed = runtime.list(Map.of("from.caller", "c"));

        assertThat(listed).extracting(ContainerInfo::id).containsExactly(info.id());
        ContainerInfo found = listed.get(0);
        assertThat(found.running()).isTrue();
        assertThat(found.endpoint()).isEqualTo(info.endpoint());
        assertThat(found.labels()).containsEntry("from.spec", "s").containsEntry("from.caller", "c")
                .containsEntry(DockerRuntime.MANAGED_LABEL, "true")
                .containsEntry(DockerRuntime.ENDPOINT_LABEL, info.endpoint().toString());
    }

    @Test
    void limitsInitStopGraceHostNetworkAndEnvironmentReachTheContainer() {
        ContainerSpec spec = workload().toBuilder().memoryBytes(64L << 20).cpus(0.5)
                .stopGrace(Duration.ofSeconds(7)).env("GREETING", "hi").build();
        ContainerInfo info = start(spec);

        InspectContainerResponse inspected = runtime.client().inspectContainerCmd(info.id()).exec();

        assertThat(inspected.getHostConfig().getMemory()).isEqualTo(64L << 20);
        assertThat(inspected.getHostConfig().getNanoCPUs()).isEqualTo(500_000_000L);
        assertThat(inspected.getHostConfig().getInit()).isTrue();
        assertThat(inspected.getHostConfig().getNetworkMode()).isEqualTo("host");
        assertThat(inspected.getConfig().getEnv()).contains("GREETING=hi",
                "PORT=" + info.endpoint().port(), "HOST=127.0.0.1");
        assertThat(inspected.getName()).startsWith("/runtime-test-" + info.endpoint().port() + "-");
    }

    @Test
    void aContainerKilledFromOutsideIsReportedToAWatcherWithinASecondAndListedAsExited() {
        ContainerInfo info = start(workload());
        List<RuntimeEvent> events = new CopyOnWriteArrayList<>();
        watches.add(runtime.watch(events::add));
        runtime.client().killContainerCmd(info.id()).exec();

        await().atMost(Duration.ofSeconds(2)).until(() -> !of(events, info.id()).isEmpty());
        assertThat(of(events, info.id())).singleElement().satisfies(event -> {
            assertThat(event.containerId()).isEqualTo(info.id());
            assertThat(event.kind()).isEqualTo(RuntimeEvent.Kind.EXITED);
            assertThat(event.exitCode()).isEqualTo(137);
        });
        assertThat(runtime.list(docker.labels())).filteredOn(c -> c.id().equals(info.id()))
                .singleElement().extracting(ContainerInfo::running).isEqualTo(false);
    }

    @Test
    void theCommandRunsAsTheImagesArgumentsAndItsExitCodeIsReported() {
        List<RuntimeEvent> events = new CopyOnWriteArrayList<>();
        watches.add(runtime.watch(events::add));
        ContainerInfo info = start(workload().toBuilder().command("sh", "-c", "sleep 0.2; exit 3").build());

        await().atMost(Duration.ofSeconds(5)).until(() -> !of(events, info.id()).isEmpty());
        assertThat(of(events, info.id())).singleElement().satisfies(event -> {
            assertThat(event.containerId()).isEqualTo(info.id());
            assertThat(event.exitCode()).isEqualTo(3);
        });
    }

    @Test
    void aContainerThatIgnoresSigtermIsKilledAfterTheGracePeriodAndRemoved() {
        ContainerInfo stubborn = start(workload().toBuilder()
                .command("sh", "-c", "trap '' TERM; while :; do sleep 1; done").build());

        runtime.stop(stubborn.id(), Duration.ofSeconds(1));

        assertThat(runtime.list(docker.labels())).extracting(ContainerInfo::id).doesNotContain(stubborn.id());
    }

    @Test
    void aMissingImageThatMayNotBePulledFailsWithAnErrorNamingTheImage() {
        ContainerSpec spec = ContainerSpec.builder("missing").image("longshore/no-such-image:never")
                .pullPolicy(ContainerSpec.PullPolicy.NEVER).build();

        assertThatThrownBy(() -> runtime.start(spec, Endpoint.loopback(docker.freePort()), docker.labels()))
                .isInstanceOf(ImageNotFoundException.class)
                .hasMessageContaining("longshore/no-such-image:never")
                .hasMessageContaining("NEVER")
                .satisfies(e -> assertThat(((ImageNotFoundException) e).image()).isEqualTo("longshore/no-such-image:never"));
    }

    @Test
    void anImageReferenceTheEngineCannotReadFailsTheStartAsAnImageNotFoundSayingSo() {
        String upperCase = "Longshore/Busybox-Workload:test";

        for (ContainerSpec.PullPolicy policy : ContainerSpec.PullPolicy.values()) {
            ContainerSpec spec = ContainerSpec.builder("unreadable").image(upperCase).pullPolicy(policy).build();
            assertThatThrownBy(() -> runtime.start(spec, Endpoint.loopback(docker.freePort()), docker.labels()))
                    .as("pull policy %s", policy)
                    .isInstanceOf(ImageNotFoundException.class)
                    .hasMessageContaining("'" + upperCase + "' is no valid image reference")
                    .hasMessageContaining("repository name must be lowercase");
        }
        assertThat(runtime.hasImage(upperCase)).as("an unreadable reference names no image").isFalse();
    }

    @Test
    void aListenerThatThrowsDoesNotStopTheEventsOfOtherContainers() {
        ContainerInfo first = start(workload());
        ContainerInfo second = start(workload());
        List<RuntimeEvent> events = new CopyOnWriteArrayList<>();
        watches.add(runtime.watch(event -> {
            events.add(event);
            throw new IllegalStateException("listener bug");
        }));
        runtime.client().killContainerCmd(first.id()).exec();
        runtime.client().killContainerCmd(second.id()).exec();

        await().atMost(Duration.ofSeconds(5)).until(() -> of(events, first.id(), second.id()).size() == 2);
        assertThat(of(events, first.id(), second.id())).extracting(RuntimeEvent::containerId).containsExactlyInAnyOrder(first.id(), second.id());
    }

    @Test
    void aContainerKilledForMemoryIsReportedOnceAsOomKilled() {
        List<RuntimeEvent> events = new CopyOnWriteArrayList<>();
        watches.add(runtime.watch(events::add));
        ContainerInfo hog = start(workload().toBuilder().memoryBytes(16L << 20)
                .command("sh", "-c", "x=aaaaaaaa; while :; do x=\"$x$x\"; done").build());

        await().atMost(Duration.ofSeconds(10)).until(() -> !of(events, hog.id()).isEmpty());
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> of(events, hog.id()).size() == 1);
        assertThat(of(events, hog.id())).singleElement().satisfies(event -> {
            assertThat(event.containerId()).isEqualTo(hog.id());
            assertThat(event.kind()).isEqualTo(RuntimeEvent.Kind.OOM_KILLED);
        });
    }

    @Test
    void anOomKillOfAChildThatTheContainerSurvivesIsNotItsExit() {
        List<RuntimeEvent> events = new CopyOnWriteArrayList<>();
        watches.add(runtime.watch(events::add));
        ContainerInfo survivor = start(workload().toBuilder().memoryBytes(16L << 20)
                .command("sh", "-c", "(x=aaaaaaaa; while :; do x=\"$x$x\"; done); exit 3").build());

        await().atMost(Duration.ofSeconds(10)).until(() -> !of(events, survivor.id()).isEmpty());
        assertThat(of(events, survivor.id())).first().satisfies(event -> {
            assertThat(event.kind()).isEqualTo(RuntimeEvent.Kind.EXITED);
            assertThat(event.exitCode()).isEqualTo(3);
        });
    }
}
