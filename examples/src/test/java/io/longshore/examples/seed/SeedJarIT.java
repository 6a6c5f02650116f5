package io.longshore.examples.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the shaded jar as a user would ({@code java -jar longshore-seed.jar}): on the process
 * runtime it answers through the gateway within 10 s, and SIGTERM leaves no child behind; its
 * help and its usage errors. Runs in the integration-test phase, after the jar is built.
 */
class SeedJarIT {
    private static final int BASE_PORT = 24200;
    private static final int GATEWAY_PORT = 24280;
    private static final int ADMIN_PORT = 24281;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    @TempDir
    Path dir;
    private Process seed;
    private Path log;

    @AfterEach
    void killTheJar() throws Exception {
        if (seed != null) {
            seed.descendants().forEach(ProcessHandle::destroyForcibly);
            seed.destroyForcibly();
            System.out.println("--- seed main output ---");
            System.out.println(Files.readString(log));
        }
    }

    @Test
    void theJarAnswersThroughTheGatewaySoonAndLeavesNoChildWhenTerminated() throws Exception {
        launch("--runtime", "process", "--port", String.valueOf(GATEWAY_PORT),
                "--admin-port", String.valueOf(ADMIN_PORT), "--base-port", String.valueOf(BASE_PORT), "--max", "3");

        await("the gateway answers").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .until(() -> get(GATEWAY_PORT, "/api/v1/categories").statusCode() == 200);
        HttpResponse<String> response = get(GATEWAY_PORT, "/api/v1/categories");
        assertThat(response.headers().firstValue("X-Replica")).contains("127.0.0.1:" + BASE_PORT);
        assertThat(get(ADMIN_PORT, "/replicas").body()).contains(String.valueOf(BASE_PORT));
        List<ProcessHandle> children = seed.descendants().toList();
        assertThat(children).as("the replica process").isNotEmpty();

        seed.destroy();

        assertThat(seed.waitFor(30, TimeUnit.SECONDS)).as("the seed main exits on SIGTERM").isTrue();
        await("every child is gone").atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(children).noneMatch(ProcessHandle::isAlive));
    }

    @Test
    void helpPrintsEveryFlagAndExitsWithZero() throws Exception {
        launch("--help");

        assertThat(seed.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(seed.exitValue()).isZero();
        assertThat(Files.readString(log)).contains("--runtime auto|process|docker", "--static-backends",
                "--scale-interval", "--requests-per-replica");
    }

    @Test
    void aBadFlagIsAClearErrorWithTheUsageAndExitStatusTwo() throws Exception {
        launch("--scale-interval", "two minutes");

        assertThat(seed.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(seed.exitValue()).isEqualTo(2);
        assertThat(Files.readString(log)).contains("error: --scale-interval expects a duration", "usage:");
    }

    @Test
    void autoFallsBackToLocalProcessesWhenNoDockerEngineAnswers() throws Exception {
        launchWithoutDocker("--port", "24282", "--admin-port", "24283", "--base-port", "24210", "--max", "2");

        await("the gateway answers").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .until(() -> get(24282, "/api/v1/categories").statusCode() == 200);
        assertThat(get(24282, "/api/v1/acts/count").headers().firstValue("X-Replica")).contains("127.0.0.1:24210");
        assertThat(Files.readString(log)).contains("replicas run as local processes");
    }

    @Test
    void dockerWithoutAnEngineIsAClearStartFailure() throws Exception {
        launchWithoutDocker("--runtime", "docker", "--port", "24284", "--admin-port", "24285", "--base-port", "24220");

        assertThat(seed.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(seed.exitValue()).isEqualTo(1);
        assertThat(Files.readString(log)).contains("no Docker engine answers");
    }

    private void launchWithoutDocker(String... args) throws Exception {
        launch(Map.of("DOCKER_HOST", "unix://" + dir.resolve("no-engine.sock")), args);
    }

    private void launch(String... args) throws Exception {
        launch(Map.of(), args);
    }

    private void launch(Map<String, String> env, String... args) throws Exception {
        Path jar = Path.of(System.getProperty("longshore.seedJar", "target/longshore-seed.jar"));
        assertThat(jar).as("the shaded jar; run this test with mvn verify").exists();
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"), "-jar", jar.toString()));
        command.addAll(List.of(args));
        log = dir.resolve("seed.log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        seed = builder.start();
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
