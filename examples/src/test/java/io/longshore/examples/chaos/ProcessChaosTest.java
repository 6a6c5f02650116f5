package io.longshore.examples.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.longshore.api.ContainerSpec;
import io.longshore.api.OrchestratorEvent;
import io.longshore.core.ProcessRuntime;
import io.longshore.core.ReplicaView;
import io.longshore.core.RolloutStatus;
import io.longshore.testkit.TestWorkload;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Zero lost requests on the process runtime: 16 clients of idempotent GETs through the gateway
 * while replicas (test-workload JVMs) are killed with SIGKILL, hang, turn unhealthy, are scaled
 * away with requests in flight, or are rolled out to a new version (or to one that exits at once,
 * which is rolled back).
 */
class ProcessChaosTest {
    private static final int REPLICAS = 3;
    private static final Duration EVERY = Duration.ofSeconds(5);
    private static final HttpClient DIRECT = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
            .connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path state;
    private ProcessRuntime runtime;
    private ChaosCluster cluster;

    @BeforeEach
    void createRuntime() {
        runtime = ProcessRuntime.builder().stateDirectory(state).build();
    }

    @AfterEach
    void closeEverything() {
        try {
            if (cluster != null) {
                cluster.close();
            }
        } finally {
            runtime.close();
        }
    }

    private ChaosCluster cluster(int basePort, int replicas) {
        cluster = new ChaosCluster(runtime, v1(), basePort, replicas).start(replicas);
        return cluster;
    }

    private static ContainerSpec v1() {
        return ContainerSpec.builder("chaos").command(TestWorkload.command())
                .env(TestWorkload.VERSION_ENV, "v1").stopGrace(Duration.ofSeconds(2)).build();
    }

    @Test
    void killingAReplicaEveryFiveSecondsLosesNoRequestAndTheCountIsRestoredAfterEveryKill() throws Exception {
        ChaosCluster cluster = cluster(26_000, REPLICAS);

        ChaosRun.Result result = new ChaosRun(cluster, REPLICAS).run("kill/process", "/api/v1/acts", 4, EVERY,
                port -> kill(cluster.replicaOn(port)));

        assertThat(result.unrestored()).as("kills after which the replica count was not restored").isEmpty();
        assertThat(result.report().restores()).hasSize(4);
        assertNoRequestLost(result);
        assertThat(cluster.events).filteredOn(OrchestratorEvent.ReplicaExited.class::isInstance).hasSize(4);
    }

    /** Two replicas: once the hung one is ejected, the requests stuck on it have exactly one other to go to. */
    @Test
    void aReplicaThatHangsIsReplacedAndItsRequestsAreRetriedOnTheOtherOne() throws Exception {
        ChaosCluster cluster = cluster(26_010, 2);

        ChaosRun.Result result = new ChaosRun(cluster, 2).run("hang/process", "/api/v1/acts", 1, EVERY,
                port -> post(cluster.replicaOn(port), TestWorkload.HANG_PATH));

        assertThat(result.unrestored()).isEmpty();
        assertNoRequestLost(result);
        assertThat(cluster.events).filteredOn(OrchestratorEvent.ReplicaEjected.class::isInstance).isNotEmpty();
        OrchestratorEvent.ReplicaStopping dead = cluster.events.stream()
                .filter(OrchestratorEvent.ReplicaStopping.class::isInstance).map(OrchestratorEvent.ReplicaStopping.class::cast)
                .findFirst().orElseThrow();
        assertThat(dead.grace()).as("no grace for a replica its probes declared dead").isZero();
        Instant readyAgain = cluster.events.stream().filter(OrchestratorEvent.ReplicaReady.class::isInstance)
                .filter(e -> ((OrchestratorEvent.ReplicaReady) e).port() == dead.port() && e.at().isAfter(dead.at()))
                .map(OrchestratorEvent::at).findFirst().orElseThrow();
        System.out.printf("CHAOS hang/process: declared dead -> replacement ready: %.2fs%n",
                Duration.between(dead.at(), readyAgain).toMillis() / 1000.0);
    }

    @Test
    void aReplicaWhoseHealthTurns500IsReplacedWithoutLosingARequest() throws Exception {
        ChaosCluster cluster = cluster(26_020, REPLICAS);

        ChaosRun.Result result = new ChaosRun(cluster, REPLICAS).run("health500/process", "/api/v1/acts", 1, EVERY,
                port -> post(cluster.replicaOn(port), TestWorkload.CRASH_PATH));

        assertThat(result.unrestored()).isEmpty();
        assertNoRequestLost(result);
        assertThat(cluster.events).filteredOn(OrchestratorEvent.ReplicaStopping.class::isInstance)
                .map(OrchestratorEvent.ReplicaStopping.class::cast).singleElement().satisfies(stopping -> {
                    assertThat(stopping.reason()).contains("failed 3 probes in a row");
                    assertThat(stopping.grace()).as("no grace for a replica its probes declared dead").isZero();
                });
    }

    @Test
    void scalingInUnderLoadLetsEveryRequestInFlightOnTheDrainingReplicasComplete() throws Exception {
        ChaosCluster cluster = cluster(26_030, REPLICAS);

        ChaosRun.Result result = new ChaosRun(cluster, 1).run("scale-in/process", "/api/v1/acts?delay=300", 1,
                Duration.ofSeconds(3), port -> scaleToOne(cluster));

        assertThat(result.unrestored()).isEmpty();
        assertNoRequestLost(result);
        Map<String, Instant> drainingSince = cluster.events.stream()
                .filter(OrchestratorEvent.ReplicaDraining.class::isInstance)
                .map(OrchestratorEvent.ReplicaDraining.class::cast)
                .collect(Collectors.toMap(e -> "127.0.0.1:" + e.port(), OrchestratorEvent::at));
        assertThat(drainingSince).containsOnlyKeys("127.0.0.1:" + (26_030 + 1), "127.0.0.1:" + (26_030 + 2));
        List<LoadGenerator.Completion> inFlightWhileDraining = result.completions().stream()
                .filter(c -> drainingSince.containsKey(c.replica()))
                .filter(c -> c.sentAt().isBefore(drainingSince.get(c.replica()))
                        && c.completedAt().isAfter(drainingSince.get(c.replica())))
                .toList();
        System.out.println("CHAOS scale-in/process: requests in flight on a draining replica that completed: "
                + inFlightWhileDraining.size());
        assertThat(inFlightWhileDraining).as("requests in flight on the draining replicas").isNotEmpty()
                .allMatch(LoadGenerator.Completion::ok);
    }

    @Test
    void aRolloutOfThreeReplicasFromV1ToV2LosesNoRequestAndAfterItOnlyV2Answers() throws Exception {
        ChaosCluster cluster = cluster(26_040, REPLICAS);
        ContainerSpec v2 = v1().toBuilder().env(TestWorkload.VERSION_ENV, "v2").build();

        RolloutRun.Result result = new RolloutRun(cluster).run("rollout/process", "/api/v1/acts", v2);

        assertRolledOutWithoutALostRequest(cluster, result);
    }

    @Test
    void aV2ThatExitsAtOnceIsRolledBackWithoutLosingARequest() throws Exception {
        ChaosCluster cluster = cluster(26_050, REPLICAS);
        ContainerSpec exits = v1().toBuilder().command("/bin/sh", "-c", "exit 3").build();

        RolloutRun.Result result = new RolloutRun(cluster).run("rollback/process", "/api/v1/acts", exits);

        assertRolledBackWithoutALostRequest(cluster, result);
    }

    static void assertRolledOutWithoutALostRequest(ChaosCluster cluster, RolloutRun.Result result) {
        assertThat(result.report().sent()).isPositive();
        assertThat(result.report().failed()).as("failed requests: %s", result.report().failures()).isZero();
        assertThat(result.status().state()).isEqualTo(RolloutStatus.State.COMPLETE);
        assertThat(result.versions()).as("every answer is v1 or v2, both answered").containsOnlyKeys("v1", "v2");
        assertThat(result.after()).as("requests sent after the rollout").isNotEmpty()
                .allSatisfy(c -> assertThat(c.version()).isEqualTo("v2"));
        assertThat(cluster.orchestrator().replicas()).hasSize(REPLICAS)
                .allSatisfy(r -> assertThat(r.specHash()).isEqualTo(result.status().toSpec()));
    }

    static void assertRolledBackWithoutALostRequest(ChaosCluster cluster, RolloutRun.Result result) {
        assertThat(result.report().sent()).isPositive();
        assertThat(result.report().failed()).as("failed requests: %s", result.report().failures()).isZero();
        assertThat(result.status().state()).isEqualTo(RolloutStatus.State.ROLLED_BACK);
        assertThat(result.status().reason()).startsWith("crash loop: replicas of " + result.status().toSpec());
        assertThat(result.versions()).as("only v1 ever answered").containsOnlyKeys("v1");
        assertThat(cluster.orchestrator().replicas()).hasSize(REPLICAS)
                .allSatisfy(r -> assertThat(r.specHash()).isEqualTo(result.status().fromSpec()));
        assertThat(cluster.events).filteredOn(OrchestratorEvent.RolloutRolledBack.class::isInstance).hasSize(1);
    }

    private static void assertNoRequestLost(ChaosRun.Result result) {
        assertThat(result.report().sent()).isPositive();
        assertThat(result.report().failed()).as("failed requests: %s", result.report().failures()).isZero();
    }

    private static String kill(ReplicaView replica) {
        long pid = Long.parseLong(replica.containerId().substring("pid-".length()));
        ProcessHandle process = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("no process " + pid));
        assertThat(process.destroyForcibly()).as("SIGKILL sent to %d", pid).isTrue();
        return replica.containerId();
    }

    private static String post(ReplicaView replica, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + replica.port() + path))
                .timeout(Duration.ofSeconds(5)).POST(HttpRequest.BodyPublishers.noBody()).build();
        assertThat(DIRECT.send(request, HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
        return replica.containerId();
    }

    private static String scaleToOne(ChaosCluster cluster) {
        assertThat(cluster.orchestrator().scaleTo(1)).isEqualTo(1);
        return "none";
    }
}
