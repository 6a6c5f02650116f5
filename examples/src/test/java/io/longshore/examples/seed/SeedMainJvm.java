package io.longshore.examples.seed;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
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

/**
 * The seed main in a child JVM (this JVM's {@code java} and class path), as an operator runs it:
 * start it, read its admin API, kill it with SIGKILL or stop it with SIGTERM. Its output goes to a
 * log file, printed by {@link #printLog()}. Not thread-safe.
 */
final class SeedMainJvm {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Process process;
    private final Path log;
    private final int adminPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private SeedMainJvm(Process process, Path log, int adminPort) {
        this.process = process;
        this.log = log;
        this.adminPort = adminPort;
    }

    /** Starts {@code SeedMain} with {@code args}; {@code adminPort} must be the one the args give. */
    static SeedMainJvm start(Path log, int adminPort, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), SeedMain.class.getName()));
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return new SeedMainJvm(process, log, adminPort);
    }

    Process process() {
        return process;
    }

    /** The admin API's {@code /replicas}: one map per replica (id, containerId, port, state, ...). */
    List<Map<String, Object>> replicas() throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + adminPort + "/replicas")).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readValue(response.body(), new TypeReference<>() { });
    }

    /** Waits until {@code count} replicas are READY; returns them. */
    List<Map<String, Object>> awaitReady(int count, Duration patience) {
        await("ready replicas").atMost(patience).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> replicas().stream().filter(r -> "READY".equals(r.get("state"))).count() == count);
        try {
            return replicas();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SIGKILL: no shutdown hook runs, nothing is closed. Returns once the JVM is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, as Ctrl-C or a service manager stops it; returns whether it exited within 60 s. */
    boolean stop() throws InterruptedException {
        process.destroy();
        return process.waitFor(60, TimeUnit.SECONDS);
    }

    void printLog() throws IOException {
        System.out.println("--- seed main output (" + log + ") ---");
        System.out.println(Files.readString(log));
    }
}
