package io.longshore.examples.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.longshore.api.ReplicaState;
import io.longshore.core.Orchestrator;
import io.longshore.core.ReplicaView;
import io.longshore.docker.DockerRuntime;
import io.longshore.examples.acts.DatabaseSettings;
import io.longshore.examples.acts.TestDatabases;
import io.longshore.examples.seed.ActsClient.Outcome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No acknowledged write is lost or doubled while replicas die: the seed app runs 2 acts
 * replicas; 200 acts are posted through the gateway (one every {@link #POST_EVERY}, 4 clients
 * that retry a POST whose answer was lost) while a replica is killed (SIGKILL or
 * {@code docker kill}) or crashed ({@code /api/v1/_crash}) every few seconds. Afterwards every
 * stored act is readable through the gateway and from each replica directly, exactly once, and
 * every replica counts the same; scaling in to 1 and out to 3 loses nothing. On local processes
 * over the embedded H2 server and over PostgreSQL, and on Docker over the H2 server.
 */
class SharedDataChaosTest {
    static final int ACTS = 200;
    static final String CATEGORY = "chaos";
    static final Duration POST_EVERY = Duration.ofMillis(60);
    static final Duration AWAIT = Duration.ofSeconds(60);
    /** Fault k is injected once this many acts have been handed to the clients. */
    static final int[] FAULT_AFTER = {30, 75, 120, 165};

    private final ActsClient client = new ActsClient();
    @TempDir
    Path dataDir;

    /** What breaks a replica; returns nothing, the replica's container id is known. */
    interface Kill {
        void kill(ReplicaView replica) throws Exception;
    }

    @Test
    void onLocalProcessesOverTheEmbeddedH2ServerNoStoredActIsLostOrDuplicated() throws Exception {
        SeedOptions options = SeedOptions.parse(args(24500, 24580, "--runtime", "process"));

        run(options, 24500, 24580, SharedDataChaosTest::sigkill);
    }

    @Test
    void onLocalProcessesOverPostgresNoStoredActIsLostOrDuplicated() throws Exception {
        DatabaseSettings postgres = TestDatabases.postgres();
        TestDatabases.dropTables(postgres);
        SeedOptions options = SeedOptions.parse(postgres.environment(), args(24510, 24582, "--runtime", "process"));

        run(options, 24510, 24582, SharedDataChaosTest::sigkill);
    }

    @Test
    void onDockerOverTheEmbeddedH2ServerNoStoredActIsLostOrDuplicated() throws Exception {
        DockerEngine.assumeAnswers();
        SeedOptions options = SeedOptions.parse(args(24520, 24584, "--runtime", "docker"));
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withApiVersion("1.41").build();
        try (DockerClient docker = DockerClientImpl.getInstance(config,
                new ZerodepDockerHttpClient.Builder().dockerHost(config.getDockerHost()).build())) {
            run(options, 24520, 24584, replica -> docker.killContainerCmd(replica.containerId()).exec());
        }
        try (DockerRuntime docker = DockerRuntime.builder().build()) {
            await("no seed container left after close").atMost(Duration.ofSeconds(15))
                    .until(() -> docker.list(Map.of(SeedRuntimes.EXAMPLE_LABEL, SeedRuntimes.SERVICE)).isEmpty());
        }
    }

    private String[] args(int basePort, int gatewayPort, String... more) {
        List<String> args = new ArrayList<>(List.of("--base-port", String.valueOf(basePort),
                "--port", String.valueOf(gatewayPort), "--admin-port", String.valueOf(gatewayPort + 1),
                "--min", "1", "--max", "3", "--scale-interval", "15m", "--data-dir", dataDir.toString()));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    private void run(SeedOptions options, int basePort, int gatewayPort, Kill kill) throws Exception {
        try (SeedApp app = SeedApp.start(options)) {
            Orchestrator orchestrator = app.orchestrator().orElseThrow();
            assertThat(orchestrator.scaleTo(2)).isEqualTo(2);
            awaitReady(orchestrator, 2, "none");
            assertThat(client.createCategory(gatewayPort, CATEGORY)).isEqualTo("201");

            List<Outcome> outcomes = postWhileBreakingReplicas(orchestrator, basePort, gatewayPort, kill);

            assertEveryActStoredOnce(outcomes);
            assertEveryReplicaReadsEveryActOnce(orchestrator, gatewayPort);
            scaleAndCheck(orchestrator, gatewayPort, 1);
            scaleAndCheck(orchestrator, gatewayPort, 3);
        }
    }

    private List<Outcome> postWhileBreakingReplicas(Orchestrator orchestrator, int basePort, int gatewayPort,
                                                    Kill kill) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(4);
        ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
        List<Future<Outcome>> pending = new ArrayList<>();
        AtomicInteger handedOut = new AtomicInteger();
        try {
            pacer.scheduleAtFixedRate(() -> {
                long id = handedOut.get();
                if (id < ACTS) {
                    synchronized (pending) {
                        pending.add(clients.submit(() -> client.postAct(gatewayPort, id, CATEGORY)));
                    }
                    handedOut.incrementAndGet();
                }
            }, 0, POST_EVERY.toMillis(), TimeUnit.MILLISECONDS);
            for (int k = 0; k < FAULT_AFTER.length; k++) {
                int after = FAULT_AFTER[k];
                await().atMost(AWAIT).until(() -> handedOut.get() >= after);
                breakReplica(orchestrator, basePort + k % 2, k == 0 || k == 3, kill);
            }
            await().atMost(AWAIT).until(() -> handedOut.get() >= ACTS);
            List<Outcome> outcomes = new ArrayList<>();
            synchronized (pending) {
                for (Future<Outcome> outcome : pending) {
                    outcomes.add(outcome.get(ActsClient.GIVE_UP_AFTER.toSeconds() + 30, TimeUnit.SECONDS));
                }
            }
            return outcomes;
        } finally {
            pacer.shutdownNow();
            clients.shutdownNow();
        }
    }

    /** Kills or crashes the replica on {@code port}, then waits until 2 replicas are ready without it. */
    private void breakReplica(Orchestrator orchestrator, int port, boolean killIt, Kill kill) throws Exception {
        ReplicaView victim = orchestrator.replicas().stream().filter(r -> r.port() == port).findFirst()
                .orElseThrow(() -> new AssertionError("no replica on " + port + ": " + orchestrator.replicas()));
        if (killIt) {
            kill.kill(victim);
        } else {
            assertThat(client.post(port, "/api/v1/_crash", "").statusCode()).isEqualTo(200);
        }
        System.out.println("[shared data chaos] " + (killIt ? "killed " : "crashed ") + victim.containerId()
                + " on port " + port);
        awaitReady(orchestrator, 2, victim.containerId());
    }

    private static void assertEveryActStoredOnce(List<Outcome> outcomes) {
        assertThat(outcomes).hasSize(ACTS);
        List<Outcome> unsettled = outcomes.stream().filter(o -> !o.stored()).toList();
        assertThat(unsettled).as("acts not stored (a 409 at the first attempt means a duplicate)").isEmpty();
        long retried = outcomes.stream().filter(o -> o.attempts().size() > 1).count();
        long storedEarlier = outcomes.stream().filter(o -> o.status() == 409).count();
        System.out.println("[shared data chaos] " + ACTS + " acts stored; " + retried + " needed a retry, "
                + storedEarlier + " of them had been stored by an attempt whose answer was lost (409 on retry)");
    }

    private void assertEveryReplicaReadsEveryActOnce(Orchestrator orchestrator, int gatewayPort) throws Exception {
        List<Long> all = LongStream.range(0, ACTS).boxed().toList();
        assertThat(client.actIds(gatewayPort, CATEGORY)).as("through the gateway").isEqualTo(all);
        for (ReplicaView replica : orchestrator.replicas()) {
            assertThat(client.actIds(replica.port(), CATEGORY)).as("from replica %s directly", replica.port())
                    .isEqualTo(all);
            assertThat(client.actCount(replica.port())).as("count on replica %s", replica.port()).isEqualTo(ACTS);
        }
    }

    private void scaleAndCheck(Orchestrator orchestrator, int gatewayPort, int replicas) throws Exception {
        assertThat(orchestrator.scaleTo(replicas)).isEqualTo(replicas);
        awaitReady(orchestrator, replicas, "none");
        assertEveryReplicaReadsEveryActOnce(orchestrator, gatewayPort);
    }

    private static void awaitReady(Orchestrator orchestrator, int replicas, String notContainer) {
        await("%d ready replicas without %s".formatted(replicas, notContainer)).atMost(AWAIT)
                .pollInterval(Duration.ofMillis(50)).until(() -> {
                    List<ReplicaView> views = orchestrator.replicas();
                    return views.size() == replicas
                            && views.stream().allMatch(v -> v.state() == ReplicaState.READY && v.healthy())
                            && views.stream().noneMatch(v -> v.containerId().equals(notContainer))
                            && orchestrator.router().routable().size() == replicas;
                });
    }

    private static void sigkill(ReplicaView replica) {
        long pid = Long.parseLong(replica.containerId().substring("pid-".length()));
        ProcessHandle process = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("no process " + pid));
        assertThat(process.destroyForcibly()).as("SIGKILL sent to %d", pid).isTrue();
    }
}
