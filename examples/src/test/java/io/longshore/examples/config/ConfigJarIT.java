package io.longshore.examples.config;

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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code java -jar longshore-seed.jar --config FILE} as a user runs it: the example file checks
 * out and, with its ports moved, starts and serves (and leaves no child behind on SIGTERM);
 * broken files exit with status 2 and name the line and key. Runs in the integration-test
 * phase, after the jar is built.
 */
class ConfigJarIT {
    private static final int GATEWAY_PORT = 24790;
    private static final int ADMIN_PORT = 24791;
    private static final int BASE_PORT = 24720;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    @TempDir
    Path dir;
    private Process jar;
    private Path log;

    @AfterEach
    void killTheJar() throws Exception {
        if (jar != null) {
            jar.descendants().forEach(ProcessHandle::destroyForcibly);
            jar.destroyForcibly();
            System.out.println("--- output ---\n" + Files.readString(log));
        }
    }

    @Test
    void theExampleFileChecksOutWithExitStatusZero() throws Exception {
        launch("--config", Path.of("longshore.yaml").toAbsolutePath().toString(), "--check");

        assertThat(jar.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(jar.exitValue()).isZero();
        assertThat(Files.readString(log)).contains("longshore.yaml: ok; gateway on 127.0.0.1:8080");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "an unknown key     | services:\\n  acts:\\n    command: [x]\\n    replica: {max: 3}\\n"
                + "| bad.yaml:4:5: services.acts.replica: unknown key",
        "a bad duration     | services:\\n  acts:\\n    command: [x]\\n    timeouts:\\n      drain: 5 sec\\n"
                + "| bad.yaml:5:14: services.acts.timeouts.drain: expects a duration",
        "a port used twice  | gateway:\\n  port: 9000\\nadmin:\\n  port: 9000\\nservices:\\n  acts:\\n    command: [x]\\n"
                + "| bad.yaml:4:9: admin.port: port 9000 is also used by gateway.port (port 9000, line 2)",
    })
    void aBrokenFileExitsWithTwoAndNamesTheLineAndKey(String what, String yaml, String expected) throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, yaml.replace("\\n", "\n"));

        launch("--config", "bad.yaml");

        assertThat(jar.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(jar.exitValue()).as(what).isEqualTo(2);
        assertThat(Files.readString(log)).as(what).contains("error: " + expected);
    }

    @Test
    void theExampleFileStartsAndServesAndSigtermLeavesNoChild() throws Exception {
        String example = Files.readString(Path.of("longshore.yaml"))
                .replace("port: 8080", "port: " + GATEWAY_PORT)
                .replace("port: 8081", "port: " + ADMIN_PORT)
                .replace("basePort: 8000", "basePort: " + BASE_PORT);
        Files.writeString(dir.resolve("longshore.yaml"), example);

        launch("--config", "longshore.yaml");

        await("the gateway answers").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .ignoreExceptions().until(() -> get(GATEWAY_PORT, "/api/v1/categories").statusCode() == 200);
        assertThat(get(GATEWAY_PORT, "/api/v1/categories").headers().firstValue("X-Replica"))
                .contains("127.0.0.1:" + BASE_PORT);
        assertThat(get(ADMIN_PORT, "/replicas").body()).contains("\"port\":" + BASE_PORT);
        assertThat(get(ADMIN_PORT, "/").body()).contains("<title>Longshore</title>");
        assertThat(Files.readString(log)).contains("the services' database: an H2 server on 127.0.0.1")
                .contains("files in " + dir.toRealPath().resolve("longshore-data").resolve("acts-db"));
        List<ProcessHandle> children = jar.descendants().toList();
        assertThat(children).as("the replica process").isNotEmpty();

        jar.destroy();

        assertThat(jar.waitFor(30, TimeUnit.SECONDS)).as("the jar exits on SIGTERM").isTrue();
        await("every child is gone").atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(children).noneMatch(ProcessHandle::isAlive));
    }

    private void launch(String... args) throws Exception {
        Path seedJar = Path.of(System.getProperty("longshore.seedJar", "target/longshore-seed.jar")).toAbsolutePath();
        assertThat(seedJar).as("the shaded jar; run this test with mvn verify").exists();
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"), "-jar", seedJar.toString()));
        command.addAll(List.of(args));
        log = dir.resolve("output.log");
        jar = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
