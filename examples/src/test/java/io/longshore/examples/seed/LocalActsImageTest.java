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
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Docker runs the acts service by default: without {@code --image} the seed app builds
 * {@code longshore/acts:local} from this JDK and class path (no registry) and runs it with host
 * networking; its replicas share the seed main's H2 server on 127.0.0.1, so what one writes
 * the other reads.
 */
class LocalActsImageTest {
    private final ActsClient client = new ActsClient();
    @TempDir
    Path dataDir;

    @Test
    void withoutAnImageDockerRunsTheLocalActsImageAndWhatOneReplicaWritesTheOtherReads() throws Exception {
        DockerEngine.assumeAnswers();
        SeedOptions options = SeedOptions.parse("--runtime", "docker", "--base-port", "24300", "--port", "24390",
                "--admin-port", "24391", "--max", "2", "--scale-interval", "15m", "--data-dir", dataDir.toString());

        try (SeedApp app = SeedApp.start(options)) {
            Orchestrator orchestrator = app.orchestrator().orElseThrow();
            orchestrator.scaleTo(2);
            await("two acts containers ready").atMost(Duration.ofSeconds(90)).until(() -> orchestrator.replicas()
                    .stream().filter(r -> r.state() == ReplicaState.READY).count() == 2);

            assertThat(imagesOf(orchestrator.replicas())).containsExactly(LocalActsImage.TAG);
            assertThat(client.post(24300, "/api/v1/categories", "[\"docker\"]").statusCode()).isEqualTo(201);
            assertThat(client.get(24301, "/api/v1/categories").body()).isEqualTo("{\"docker\":0}");
            Set<String> answeredBy = new HashSet<>();
            for (int i = 0; i < 2; i++) {
                HttpResponse<String> response = client.get(24390, "/api/v1/categories");
                assertThat(response.body()).isEqualTo("{\"docker\":0}");
                answeredBy.add(response.headers().firstValue("X-Replica").orElse("?"));
            }
            assertThat(answeredBy).containsExactlyInAnyOrder("127.0.0.1:24300", "127.0.0.1:24301");
        }

        try (DockerRuntime docker = DockerRuntime.builder().build()) {
            await("no container left after close").atMost(Duration.ofSeconds(15))
                    .until(() -> docker.list(Map.of(SeedRuntimes.EXAMPLE_LABEL, SeedRuntimes.SERVICE)).isEmpty());
        }
    }

    private static Set<String> imagesOf(List<ReplicaView> replicas) throws Exception {
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withApiVersion("1.41").build();
        try (DockerClient docker = DockerClientImpl.getInstance(config,
                new ZerodepDockerHttpClient.Builder().dockerHost(config.getDockerHost()).build())) {
            Set<String> images = new HashSet<>();
            for (ReplicaView replica : replicas) {
                images.add(docker.inspectContainerCmd(replica.containerId()).exec().getConfig().getImage());
            }
            return images;
        }
    }
}
