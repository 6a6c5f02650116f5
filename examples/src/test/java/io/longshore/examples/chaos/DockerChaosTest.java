package io.longshore.examples.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.longshore.api.ContainerInfo;
import io.longshore.api.ContainerSpec;
import io.longshore.api.OrchestratorEvent;
import io.longshore.docker.BusyboxWorkloadImage;
import io.longshore.docker.DockerRuntime;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Zero lost requests on Docker: busybox workload containers (host networking, 127.0.0.1) killed
 * with {@code docker kill} every 5 s, one that hangs, or all rolled out from the image tag
 * {@code :v1} to {@code :v2} (or to a v2 that exits at once, rolled back), while 16 clients send
 * GETs through the gateway. Skipped with a
 * message when no engine answers, unless {@code -Dlongshore.requireDocker=true} (then it fails).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DockerChaosTest {
    static final String REQUIRE_PROPERTY = "longshore.requireDocker";
    private static final String RUN_LABEL = "io.longshore.test.run";
    private static final int REPLICAS = 3;

    private final Map<String, String> labels = Map.of("io.longshore.test", "true",
            RUN_LABEL, "chaos-" + ProcessHandle.current().pid());
    private final HttpClient direct = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private DockerRuntime runtime;
    private DockerClient docker;
    private ChaosCluster cluster;

    @BeforeAll
    void connect() {
        runtime = DockerRuntime.builder().build();
        boolean answers = runtime.isAvailable();
        if (!answers && !Boolean.getBoolean(REQUIRE_PROPERTY)) {
            runtime.close();
            runtime = null;
            Assumptions.abort("no Docker engine answers (DOCKER_HOST or /var/run/docker.sock); Docker chaos test"
                    + " skipped. Run scripts/ensure-docker.sh, or set -D" + REQUIRE_PROPERTY + "=true to make this a failure");
        }
        assertThat(answers).as("-D%s=true but no Docker engine answers", REQUIRE_PROPERTY).isTrue();
        BusyboxWorkloadImage.ensure(runtime);
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withApiVersion("1.41").build();
        docker = DockerClientImpl.getInstance(config,
                new ZerodepDockerHttpClient.Builder().dockerHost(config.getDockerHost()).build());
    }

    @AfterEach
    void closeCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @AfterAll
    void removeLeftovers() throws Exception {
        if (runtime == null) {
            return;
        }
        try {
            for (ContainerInfo info : runtime.list(Map.of(RUN_LABEL, labels.get(RUN_LABEL)))) {
                runtime.stop(info.id(), Duration.ZERO);
            }
        } finally {
            runtime.close();
            if (docker != null) {
                docker.close();
            }
        }
    }

    private ChaosCluster cluster(String service, int basePort) {
        return cluster(spec(service, BusyboxWorkloadImage.TAG), basePort);
    }

    private ChaosCluster cluster(ContainerSpec spec, int basePort) {
        cluster = new ChaosCluster(runtime, spec, basePort, REPLICAS).start(REPLICAS);
        return cluster;
    }

    private ContainerSpec spec(String service, String image) {
        ContainerSpec.Builder spec = BusyboxWorkloadImage.spec(service).image(image).stopGrace(Duration.ofSeconds(1));
        labels.forEach(spec::label);
        return spec.build();
    }

    @Test
    void aRolloutToANewImageTagLosesNoRequestAndAfterItOnlyTheNewTagAnswers() throws Exception {
        ChaosCluster cluster = cluster(spec("chaos-docker-rollout", BusyboxWorkloadImage.ensureVersion(runtime, "v1")),
                26_120);
        ContainerSpec v2 = cluster.orchestrator().spec().toBuilder()
                .image(BusyboxWorkloadImage.ensureVersion(runtime, "v2")).build();

        RolloutRun.Result result = new RolloutRun(cluster).run("rollout/docker", "/api/v1/acts", v2);

        ProcessChaosTest.assertRolledOutWithoutALostRequest(cluster, result);
    }

    @Test
    void aNewImageTagThatExitsAtOnceIsRolledBackWithoutLosingARequest() throws Exception {
        ChaosCluster cluster = cluster(spec("chaos-docker-rollback", BusyboxWorkloadImage.ensureVersion(runtime, "v1")),
                26_130);
        ContainerSpec exits = cluster.orchestrator().spec().toBuilder()
                .image(BusyboxWorkloadImage.ensureVersion(runtime, "v2")).command("sh", "-c", "exit 3").build();

        RolloutRun.Result result = new RolloutRun(cluster).run("rollback/docker", "/api/v1/acts", exits);

        ProcessChaosTest.assertRolledBackWithoutALostRequest(cluster, result);
    }

    @Test
    void dockerKillingAContainerEveryFiveSecondsLosesNoRequestAndTheCountIsRestoredAfterEveryKill() throws Exception {
        ChaosCluster cluster = cluster("chaos-docker", 26_100);

        ChaosRun.Result result = new ChaosRun(cluster, REPLICAS).run("kill/docker", "/api/v1/acts", 4,
                Duration.ofSeconds(5), port -> {
                    String id = cluster.replicaOn(port).containerId();
                    docker.killContainerCmd(id).exec();
                    return id;
                });

        assertThat(result.unrestored()).as("kills after which the replica count was not restored").isEmpty();
        assertThat(result.report().restores()).hasSize(4);
        assertThat(result.report().sent()).isPositive();
        assertThat(result.report().failed()).as("failed requests: %s", result.report().failures()).isZero();
        assertThat(cluster.events).filteredOn(OrchestratorEvent.ReplicaExited.class::isInstance).hasSize(4);
    }

    @Test
    void aContainerThatHangsIsReplacedAndItsRequestsAreRetriedElsewhere() throws Exception {
        ChaosCluster cluster = cluster("chaos-docker-hang", 26_110);

        ChaosRun.Result result = new ChaosRun(cluster, REPLICAS).run("hang/docker", "/api/v1/acts", 1,
                Duration.ofSeconds(5), port -> {
                    String id = cluster.replicaOn(port).containerId();
                    HttpRequest hang = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/_hang"))
                            .timeout(Duration.ofSeconds(5)).POST(HttpRequest.BodyPublishers.noBody()).build();
                    assertThat(direct.send(hang, HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
                    return id;
                });

        assertThat(result.unrestored()).isEmpty();
        assertThat(result.report().sent()).isPositive();
        assertThat(result.report().failed()).as("failed requests: %s", result.report().failures()).isZero();
        assertThat(cluster.events).filteredOn(OrchestratorEvent.ReplicaEjected.class::isInstance).isNotEmpty();
    }
}
