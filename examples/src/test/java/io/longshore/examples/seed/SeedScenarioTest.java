package io.longshore.examples.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.longshore.docker.DockerRuntime;
import io.longshore.core.Orchestrator;
import io.longshore.kubernetes.MockCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed document's evaluation, end to end through the real main's wiring, with the
 * scaling interval shortened from two minutes to {@link #INTERVAL}: on local processes, on
 * Docker (the acts service image, the default) where an engine answers (skipped otherwise, unless
 * {@code -Dlongshore.requireDocker=true}, which makes a missing engine a failure), and on Kubernetes against fabric8's mock API server,
 * whose fake kubelet serves each pod on 127.0.0.1 (the seed finds the cluster through a kubeconfig,
 * as it would a real one).
 */
class SeedScenarioTest {
    /** Long enough for a replica JVM to start on a busy machine within one window. */
    static final Duration INTERVAL = Duration.ofSeconds(10);
    @TempDir
    Path dataDir;

    @Test
    void theSeedsFifteenStepEvaluationPassesOnLocalProcesses() throws Exception {
        SeedOptions options = SeedOptions.parse("--runtime", "process", "--base-port", "24000",
                "--port", "24080", "--admin-port", "24081", "--scale-interval", "10s", "--max", "4",
                "--data-dir", dataDir.toString());
        List<ProcessHandle> children;

        try (SeedApp app = SeedApp.start(options)) {
            Orchestrator orchestrator = app.orchestrator().orElseThrow();
            List<String> report = new SeedEvaluation(orchestrator, 24000, 24080, INTERVAL,
                    "/api/v1/categories").run();

            assertThat(report).hasSize(15);
            children = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList();
            assertThat(children).extracting(p -> "pid-" + p.pid())
                    .containsExactly(orchestrator.replicas().get(0).containerId());
        }

        await("no replica process left after close").atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertThat(children).noneMatch(ProcessHandle::isAlive));
    }

    @Test
    void theSeedsFifteenStepEvaluationPassesOnDocker() throws Exception {
        DockerEngine.assumeAnswers();
        SeedOptions options = SeedOptions.parse("--runtime", "docker", "--base-port", "24100",
                "--port", "24180", "--admin-port", "24181", "--scale-interval", "10s", "--max", "4",
                "--data-dir", dataDir.toString());

        try (SeedApp app = SeedApp.start(options)) {
            List<String> report = new SeedEvaluation(app.orchestrator().orElseThrow(), 24100, 24180, INTERVAL,
                    "/api/v1/categories").run();

            assertThat(report).hasSize(15);
        }

        try (DockerRuntime docker = DockerRuntime.builder().build()) {
            await("no seed container left after close").atMost(Duration.ofSeconds(15))
                    .until(() -> docker.list(Map.of(SeedRuntimes.EXAMPLE_LABEL, SeedRuntimes.SERVICE)).isEmpty());
        }
    }

    @Test
    void theSeedsFifteenStepEvaluationPassesOnKubernetesAgainstTheMockApiServer(@TempDir Path dir) throws Exception {
        SeedOptions options = SeedOptions.parse("--runtime", "kubernetes", "--image", "longshore/acts:mock",
                "--namespace", MockCluster.NAMESPACE, "--base-port", "24400", "--port", "24480", "--admin-port", "24481",
                "--scale-interval", "10s", "--max", "4", "--data-dir", dataDir.toString(),
                "--database", "jdbc:postgresql://acts-db.longshore-test.svc:5432/acts");

        try (MockCluster cluster = new MockCluster()) {
            String previous = System.setProperty("kubeconfig", cluster.writeKubeconfig(dir.resolve("kubeconfig")).toString());
            try (SeedApp app = SeedApp.start(options)) {
                List<String> report = new SeedEvaluation(app.orchestrator().orElseThrow(), 24400, 24480, INTERVAL,
                        "/api/v1/categories").run();

                assertThat(report).hasSize(15);
            } finally {
                restore("kubeconfig", previous);
            }

            assertThat(cluster.client().pods().inNamespace(MockCluster.NAMESPACE)
                    .withLabel(SeedRuntimes.EXAMPLE_LABEL, SeedRuntimes.SERVICE).list().getItems())
                    .as("no seed pod left after close").isEmpty();
            assertThat(cluster.kubelet().serving()).isEmpty();
        }
    }

    private static void restore(String property, String previous) {
        if (previous == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, previous);
        }
    }
}
