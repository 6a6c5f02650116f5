package io.longshore.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.longshore.api.ContainerInfo;
import io.longshore.api.ContainerSpec;
import io.longshore.api.OrchestratorEvent;
import io.longshore.api.ReplicaState;
import io.longshore.core.HttpHealthProbe;
import io.longshore.core.Orchestrator;
import io.longshore.core.OrchestratorBuilder;
import io.longshore.core.ReplicaView;
import io.longshore.core.RolloutConfig;
import io.longshore.core.RolloutStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The real orchestrator on real containers: crash replacement, adoption, backoff. */
@RequiresDocker
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DockerOrchestratorTest {
    private static final Duration AWAIT = Duration.ofSeconds(20);

    private DockerTestSupport docker;
    private DockerRuntime runtime;
    private final List<Orchestrator> orchestrators = new CopyOnWriteArrayList<>();
    private final List<OrchestratorEvent> events = new CopyOnWriteArrayList<>();
    private final HttpHealthProbe health = HttpHealthProbe.of("/api/v1/_health");
    private int nextBase = 22_600;

    @BeforeAll
    void connect() {
        docker = new DockerTestSupport(22_600, 22_699);
        runtime = docker.runtime();
    }

    @AfterEach
    void closeOrchestrators() {
        orchestrators.forEach(Orchestrator::close);
        orchestrators.clear();
        events.clear();
    }

    @AfterAll
    void removeContainers() {
        health.close();
        if (docker != null) {
            docker.close();
        }
    }

    private ContainerSpec workload(String service) {
        return docker.labelled(BusyboxWorkloadImage.spec(service)).stopGrace(Duration.ofSeconds(1)).build();
    }

    /** A base port with {@code count} free ports after it, from this class's slice of the range. */
    private int basePort(int count) {
        int base = nextBase;
        nextBase += 10;
        for (int i = 0; i < count; i++) {
            assertThat(docker.freePortIs(base + i)).as("port %d free", base + i).isTrue();
        }
        return base;
    }

    private OrchestratorBuilder orchestrator(ContainerSpec spec, int replicas, int basePort) {
        return Orchestrator.builder().service(spec).runtime(runtime)
                .minReplicas(replicas).maxReplicas(replicas).initialReplicas(replicas).basePort(basePort)
                .healthProbe(health).probeInterval(Duration.ofMillis(250))
                .rise(1).fall(2).startGracePeriod(Duration.ofSeconds(2))
                .restartBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofMinutes(10))
                .listener(events::add);
    }

    private Orchestrator start(OrchestratorBuilder builder) {
        Orchestrator orchestrator = builder.build();
        orchestrators.add(orchestrator);
        return orchestrator.start();
    }

    private static Optional<ReplicaView> readyOn(Orchestrator orchestrator, int port) {
        return orchestrator.replicas().stream()
                .filter(r -> r.port() == port && r.state() == ReplicaState.READY && !r.containerId().isEmpty())
                .findFirst();
    }

    private ReplicaView awaitReady(Orchestrator orchestrator, int port) {
        await().atMost(AWAIT).until(() -> readyOn(orchestrator, port).isPresent());
        return readyOn(orchestrator, port).orElseThrow();
    }

    private Set<String> containersOf(String service) {
        return runtime.list(Map.of("io.longshore.service", service)).stream()
                .filter(ContainerInfo::running).map(ContainerInfo::id).collect(Collectors.toSet());
    }

    @Test
    void aKilledContainerIsReportedAsExitedAtOnceAndReplacedOnTheSamePort() {
        int port = basePort(1);
        // So many probe failures needed that probes cannot replace the replica within the test:
        // only the engine's event stream can get it replaced (no wall-clock bound, which a
        // loaded machine would break).
        Orchestrator orchestrator = start(orchestrator(workload("orch-kill"), 1, port).fall(1_000));
        String first = awaitReady(orchestrator, port).containerId();

        runtime.client().killContainerCmd(first).exec();

        await().atMost(AWAIT).until(() -> events.stream()
                .anyMatch(e -> e instanceof OrchestratorEvent.ReplicaExited exited && exited.containerId().equals(first)));
        await().atMost(AWAIT).until(() -> readyOn(orchestrator, port)
                .filter(r -> !r.containerId().equals(first)).isPresent());
        assertThat(DockerTestSupport.status(port, "GET", "/api/v1/_health")).isEqualTo(200);
        assertThat(containersOf("orch-kill")).hasSize(1).doesNotContain(first);
    }

    @Test
    void aCrashedWorkloadIsReplacedOnTheSamePortWithANewContainer() {
        int port = basePort(1);
        Orchestrator orchestrator = start(orchestrator(workload("orch-crash"), 1, port));
        String crashed = awaitReady(orchestrator, port).containerId();

        assertThat(DockerTestSupport.status(port, "POST", "/api/v1/_crash")).isEqualTo(200);

        await().atMost(AWAIT).until(() -> readyOn(orchestrator, port)
                .filter(r -> !r.containerId().equals(crashed)).isPresent());
        assertThat(DockerTestSupport.status(port, "GET", "/api/v1/_health")).isEqualTo(200);
        assertThat(runtime.list(Map.of("io.longshore.service", "orch-crash")))
                .extracting(ContainerInfo::id).doesNotContain(crashed);
    }

    @Test
    void aNewOrchestratorAdoptsTheRunningContainersOfTheOldOneAndLeavesNoneAfterItsClose() {
        int port = basePort(2);
        ContainerSpec spec = workload("orch-adopt");
        Orchestrator first = start(orchestrator(spec, 2, port).stopReplicasOnClose(false));
        Set<String> before = Set.of(awaitReady(first, port).containerId(), awaitReady(first, port + 1).containerId());
        first.close();
        assertThat(containersOf("orch-adopt")).isEqualTo(before);

        Orchestrator second = start(orchestrator(spec, 2, port));
        awaitReady(second, port);
        awaitReady(second, port + 1);

        assertThat(second.replicas()).extracting(ReplicaView::containerId).containsExactlyInAnyOrderElementsOf(before);
        assertThat(containersOf("orch-adopt")).isEqualTo(before);
        assertThat(events).filteredOn(OrchestratorEvent.ReplicaAdopted.class::isInstance).hasSize(2);
        second.close();
        assertThat(runtime.list(Map.of("io.longshore.service", "orch-adopt"))).isEmpty();
    }

    @Test
    void anOrchestratorRestartedInTheMiddleOfARolloutToANewImageTagAdoptsTheReplicasOfBothAndFinishesIt() {
        String v1 = BusyboxWorkloadImage.ensureVersion(runtime, "v1");
        String v2 = BusyboxWorkloadImage.ensureVersion(runtime, "v2");
        int port = basePort(4);
        ContainerSpec one = docker.labelled(BusyboxWorkloadImage.spec("orch-roll").image(v1))
                .stopGrace(Duration.ofSeconds(1)).build();
        ContainerSpec two = one.toBuilder().image(v2).build();
        RolloutConfig quick = RolloutConfig.builder().minReady(Duration.ofMillis(500)).build();
        Orchestrator first = start(orchestrator(one, 3, port).rollout(quick).stopReplicasOnClose(false));
        closeOnceANewReplicaIsReady(first, port, two);
        Set<String> left = containersOf("orch-roll");
        assertThat(versionsOn(port, port + 4)).as("both tags run").contains("v1", "v2");
        events.clear();

        Orchestrator second = start(orchestrator(one, 3, port).rollout(quick));

        await("the spec being rolled out is recovered from the labels").atMost(AWAIT)
                .until(() -> second.spec().equals(two));
        await().atMost(AWAIT).until(() -> second.rollout().map(r -> r.state() == RolloutStatus.State.COMPLETE)
                .orElse(false));
        assertThat(events).filteredOn(OrchestratorEvent.ReplicaAdopted.class::isInstance).hasSize(left.size());
        assertThat(events).filteredOn(OrchestratorEvent.RolloutStarted.class::isInstance).singleElement()
                .satisfies(e -> assertThat(((OrchestratorEvent.RolloutStarted) e).reason()).startsWith("restarted in a rollout"));
        assertThat(containersOf("orch-roll")).hasSize(3);
        assertThat(second.replicas()).extracting(ReplicaView::port)
                .allSatisfy(p -> assertThat(DockerTestSupport.call(p, "GET", "/x").version()).isEqualTo("v2"));
    }

    @Test
    void anOrchestratorRestartedInTheMiddleOfARolloutWhoseNewTagKeepsCrashingRollsItBackToTheOldTag() {
        String v1 = BusyboxWorkloadImage.ensureVersion(runtime, "v1");
        String v2 = BusyboxWorkloadImage.ensureVersion(runtime, "v2");
        int port = basePort(4);
        ContainerSpec one = docker.labelled(BusyboxWorkloadImage.spec("orch-roll-back").image(v1))
                .stopGrace(Duration.ofSeconds(1)).build();
        // v2 serves for 6 s, then exits with code 2: long enough to be adopted by the restarted
        // orchestrator, never ready for the 30 s a rollout step waits, so each slot crash-loops.
        ContainerSpec two = one.toBuilder().image(v2).command("sh", "-c", "sh /workload.sh & sleep 6; exit 2").build();
        RolloutConfig patient = RolloutConfig.builder().minReady(Duration.ofSeconds(30)).build();
        Orchestrator first = start(orchestrator(one, 3, port).rollout(patient).stopReplicasOnClose(false));
        RolloutStatus started = closeOnceANewReplicaIsReady(first, port, two);
        String fromSpec = started.fromSpec();
        String toSpec = started.toSpec();
        events.clear();

        // fall(8): 2 s of refused probes, so a v2 replica's exit (code 2) is what reports it, not
        // the probes that fail in the same instant (with fall 2 they won the race on a busy machine).
        Orchestrator second = start(orchestrator(one, 3, port).rollout(patient).fall(8));

        await("the rollout is resumed from the labels").atMost(AWAIT).until(() -> second.spec().equals(two));
        await("the crash loop rolls it back").atMost(Duration.ofMinutes(2)).until(() -> second.rollout()
                .map(r -> r.state() == RolloutStatus.State.ROLLED_BACK).orElse(false));
        RolloutStatus status = second.rollout().orElseThrow();
        assertThat(status.fromSpec()).isEqualTo(fromSpec);
        assertThat(status.toSpec()).isEqualTo(toSpec);
        assertThat(status.reason()).startsWith("crash loop: replicas of " + toSpec).contains("code 2");
        assertThat(second.spec()).isEqualTo(one);
        assertThat(events).filteredOn(OrchestratorEvent.ReplicaAdopted.class::isInstance).hasSize(4);
        await("only v1 runs again").atMost(AWAIT).until(() -> second.replicas().size() == 3
                && second.replicas().stream().allMatch(r -> r.state() == ReplicaState.READY && r.specHash().equals(fromSpec)));
        assertThat(containersOf("orch-roll-back")).hasSize(3);
        assertThat(versionsOn(port, port + 4)).containsOnly("v1");
    }

    /**
     * Waits for three ready replicas of {@code first} from {@code port}, starts its rollout to
     * {@code next}, and closes it (leaving the containers) once one new replica is ready.
     */
    private RolloutStatus closeOnceANewReplicaIsReady(Orchestrator first, int port, ContainerSpec next) {
        for (int p = port; p < port + 3; p++) {
            awaitReady(first, p);
        }
        RolloutStatus started = first.update(next).toCompletableFuture().join();
        await().atMost(AWAIT).until(() -> first.replicas().stream()
                .anyMatch(r -> r.state() == ReplicaState.READY && r.specHash().equals(started.toSpec())));
        first.close();
        return started;
    }

    private Set<String> versionsOn(int from, int to) {
        Set<String> versions = new java.util.HashSet<>();
        for (int p = from; p < to; p++) {
            String version = DockerTestSupport.call(p, "GET", "/x").version();
            if (version != null) {
                versions.add(version);
            }
        }
        return versions;
    }

    @Test
    void aMissingImageYieldsStartFailuresWithAGrowingRetryDelayNotAHotLoop() {
        int port = basePort(1);
        ContainerSpec missing = docker.labelled(ContainerSpec.builder("orch-missing").image("longshore/no-such-image:test")
                .pullPolicy(ContainerSpec.PullPolicy.NEVER)).build();
        start(orchestrator(missing, 1, port));

        await().atMost(AWAIT).until(() -> failures().size() >= 3);

        List<OrchestratorEvent.ReplicaStartFailed> failures = failures();
        assertThat(failures.get(0).error()).contains("longshore/no-such-image:test");
        assertThat(failures.get(1).retryIn()).isGreaterThan(failures.get(0).retryIn());
        assertThat(failures.get(2).retryIn()).isGreaterThan(failures.get(1).retryIn());
        assertThat(runtime.list(Map.of("io.longshore.service", "orch-missing"))).isEmpty();
    }

    private List<OrchestratorEvent.ReplicaStartFailed> failures() {
        return events.stream().filter(OrchestratorEvent.ReplicaStartFailed.class::isInstance)
                .map(OrchestratorEvent.ReplicaStartFailed.class::cast).toList();
    }
}
