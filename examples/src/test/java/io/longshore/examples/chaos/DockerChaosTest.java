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
 * with {@code docker kill} every 5 s while 16 clients send GETs through the gateway. Skipped with a
 * message when no engine answers, unless {@code -Dlongshore.requireDocker=true} (then it fails).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DockerChaosTest {
    static final String REQUIRE_PROPERTY = "longshore.requireDocker";
    private static final String RUN_LABEL = "io.longshore.test.run";
    private static final int REPLICAS = 3;

    private final Map<String, String> labels = Map.of("io.longshore.test", "true",
            RUN_LABEL, "chaos-" + ProcessHandle.current().pid());
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

    @Test
    void dockerKillingAContainerEveryFiveSecondsLosesNoRequestAndTheCountIsRestoredAfterEveryKill() throws Exception {
        ContainerSpec.Builder spec = BusyboxWorkloadImage.spec("chaos-docker").stopGrace(Duration.ofSeconds(1));
        labels.forEach(spec::label);
        cluster = new ChaosCluster(runtime, spec.build(), 26_100, REPLICAS).start(REPLICAS);

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
}
