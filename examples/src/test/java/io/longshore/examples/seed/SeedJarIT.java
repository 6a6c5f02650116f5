package io.longshore.examples.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.ServerSocket;
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
 * runtime it answers through the gateway within 10 s, keeps its data across a restart with the
 * same data directory, refuses a second instance on that directory, and SIGTERM leaves no
 * child behind; without Docker its replicas share their data; started without JVM flags it runs
 * in a tuned child JVM that dies with it, with a flag of the user's in one JVM; its help and its
 * usage errors.
 * Runs in the integration-test phase, after the jar is built.
 */
class SeedJarIT {
    private static final int BASE_PORT = 24200;
    private static final int GATEWAY_PORT = 24280;
    private static final int ADMIN_PORT = 24281;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Launched> launched = new ArrayList<>();
    @TempDir
    Path dir;

    /** One run of the jar and the file its output goes to. */
    private record Launched(Process process, Path log) {
        String output() throws Exception {
            return Files.readString(log);
        }
    }

    @AfterEach
    void killTheJars() throws Exception {
        for (Launched run : launched) {
            run.process().descendants().forEach(ProcessHandle::destroyForcibly);
            run.process().destroyForcibly();
            System.out.println("--- seed main output (" + run.log().getFileName() + ") ---");
            System.out.println(run.output());
        }
    }

    @Test
    void theJarAnswersSoonKeepsItsDataAcrossARestartAndLeavesNoChildWhenTerminated() throws Exception {
        String[] args = {"--runtime", "process", "--port", String.valueOf(GATEWAY_PORT),
            "--admin-port", String.valueOf(ADMIN_PORT), "--base-port", String.valueOf(BASE_PORT), "--max", "3",
            "--data-dir", dir.resolve("data").toString()};
        Launched seed = launch(Map.of(), args);

        awaitGateway(GATEWAY_PORT, Duration.ofSeconds(10));
        HttpResponse<String> response = get(GATEWAY_PORT, "/api/v1/categories");
        assertThat(response.headers().firstValue("X-Replica")).contains("127.0.0.1:" + BASE_PORT);
        assertThat(get(ADMIN_PORT, "/replicas").body()).contains(String.valueOf(BASE_PORT));
        assertThat(post(GATEWAY_PORT, "/api/v1/categories", "[\"kept\"]").statusCode()).isEqualTo(201);
        assertThat(post(GATEWAY_PORT, "/api/v1/acts", "{\"actId\": 1, \"username\": \"ann\", \"caption\": \"c\","
                + " \"categoryName\": \"kept\"}").statusCode()).isEqualTo(201);
        assertASecondSeedMainOnTheSameDataDirFailsClearly();
        List<ProcessHandle> children = seed.process().descendants().toList();
        assertThat(children).as("the replica process").isNotEmpty();

        seed.process().destroy();

        assertThat(seed.process().waitFor(30, TimeUnit.SECONDS)).as("the seed main exits on SIGTERM").isTrue();
        await("every child is gone").atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(children).noneMatch(ProcessHandle::isAlive));
        launch(Map.of(), args);
        awaitGateway(GATEWAY_PORT, Duration.ofSeconds(20));
        assertThat(get(GATEWAY_PORT, "/api/v1/categories").body()).as("after a restart").isEqualTo("{\"kept\":1}");
    }

    private void assertASecondSeedMainOnTheSameDataDirFailsClearly() throws Exception {
        Launched second = launch(Map.of(), "--runtime", "process", "--port", "24286", "--admin-port", "24287",
                "--base-port", "24230", "--data-dir", dir.resolve("data").toString());

        assertThat(second.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(second.process().exitValue()).isEqualTo(1);
        assertThat(second.output()).contains("cannot open the database in", "is another seed main using it?");
    }

    @Test
    void startedWithoutFlagsTheGatewayRunsInATunedChildJvmThatDiesWithItsParent() throws Exception {
        Launched seed = launch(Map.of(), "--static-backends", "127.0.0.1:24299", "--port", "24288",
                "--admin-port", "24289");

        await("the admin API answers").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .ignoreExceptions().until(() -> get(24289, "/replicas").statusCode() == 200);
        assertThat(get(24288, "/").statusCode()).as("served by the gateway; its one backend is down").isIn(502, 503);
        List<ProcessHandle> children = seed.process().children().toList();
        assertThat(children).as("the tuned child JVM").hasSize(1);
        assertThat(children.get(0).info().arguments().map(List::of).orElseThrow())
                .contains(TunedJvm.COLLECTOR).anyMatch(arg -> arg.startsWith("-Xmx"))
                .contains("-D" + TunedJvm.CHILD_PROPERTY + "=" + seed.process().pid());
        assertThat(seed.output()).containsPattern("running in a child JVM with -XX:\\+UseZGC -Xmx\\d+m -XX:MaxDirectMemorySize=\\d+m"
                + " \\(its parent is pid "
                + seed.process().pid() + "\\)");

        seed.process().destroyForcibly();

        await("the child is gone with its SIGKILLed parent").atMost(Duration.ofSeconds(10))
                .until(() -> !children.get(0).isAlive());
        await("the gateway's port is free").atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .until(() -> {
                    try (ServerSocket bound = new ServerSocket(24288, 1, InetAddress.getLoopbackAddress())) {
                        return true;
                    }
                });
    }

    @Test
    void startedWithAFlagOfTheUsersItRunsInOneJvm() throws Exception {
        Launched seed = launchWithJvmFlag("-XX:+UseSerialGC", "--static-backends", "127.0.0.1:24299",
                "--port", "24290", "--admin-port", "24291");

        await("the admin API answers").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .ignoreExceptions().until(() -> get(24291, "/replicas").statusCode() == 200);
        assertThat(seed.process().children().toList()).isEmpty();
        assertThat(seed.output()).doesNotContain("child JVM");
        seed.process().destroy();
        assertThat(seed.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void helpPrintsEveryFlagAndExitsWithZero() throws Exception {
        Launched seed = launch(Map.of(), "--help");

        assertThat(seed.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(seed.process().exitValue()).isZero();
        assertThat(seed.output()).contains("--runtime auto|process|docker", "--static-backends",
                "--scale-interval", "--requests-per-replica", "--data-dir", "--database");
    }

    @Test
    void aBadFlagIsAClearErrorWithTheUsageAndExitStatusTwo() throws Exception {
        Launched seed = launch(Map.of(), "--scale-interval", "two minutes");

        assertThat(seed.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(seed.process().exitValue()).isEqualTo(2);
        assertThat(seed.output()).contains("error: --scale-interval expects a duration", "usage:");
    }

    @Test
    void withoutDockerAutoRunsLocalProcessesWhoseReplicasShareTheirData() throws Exception {
        Launched seed = launchWithoutDocker("--port", "24282", "--admin-port", "24283", "--base-port", "24210",
                "--max", "2", "--data-dir", dir.resolve("data").toString());

        awaitGateway(24282, Duration.ofSeconds(20));
        assertThat(get(24282, "/api/v1/acts/count").headers().firstValue("X-Replica")).contains("127.0.0.1:24210");
        assertThat(seed.output()).contains("replicas run as local processes", "acts data: an H2 server on 127.0.0.1:");
        assertThat(post(24283, "/scale", "{\"replicas\": 2}").statusCode()).isEqualTo(200);
        await("the second replica answers").atMost(Duration.ofSeconds(20)).ignoreExceptions()
                .until(() -> get(24211, "/api/v1/_health").statusCode() == 200);
        assertThat(post(24210, "/api/v1/categories", "[\"shared\"]").statusCode()).isEqualTo(201);
        assertThat(get(24211, "/api/v1/categories").body()).as("read from the other replica").isEqualTo("{\"shared\":0}");
    }

    @Test
    void dockerWithoutAnEngineIsAClearStartFailure() throws Exception {
        Launched seed = launchWithoutDocker("--runtime", "docker", "--port", "24284", "--admin-port", "24285",
                "--base-port", "24220", "--data-dir", dir.resolve("data").toString());

        assertThat(seed.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(seed.process().exitValue()).isEqualTo(1);
        assertThat(seed.output()).contains("no Docker engine answers");
    }

    private Launched launchWithoutDocker(String... args) throws Exception {
        return launch(Map.of("DOCKER_HOST", "unix://" + dir.resolve("no-engine.sock")), args);
    }

    private Launched launch(Map<String, String> env, String... args) throws Exception {
        return launch(env, List.of(), args);
    }

    private Launched launchWithJvmFlag(String flag, String... args) throws Exception {
        return launch(Map.of(), List.of(flag), args);
    }

    private Launched launch(Map<String, String> env, List<String> jvmFlags, String... args) throws Exception {
        Path jar = Path.of(System.getProperty("longshore.seedJar", "target/longshore-seed.jar"));
        assertThat(jar).as("the shaded jar; run this test with mvn verify").exists();
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        command.addAll(jvmFlags);
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(List.of(args));
        Path log = dir.resolve("seed-" + launched.size() + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Launched run = new Launched(builder.start(), log);
        launched.add(run);
        return run;
    }

    private void awaitGateway(int port, Duration within) {
        await("the gateway answers").atMost(within).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> get(port, "/api/v1/categories").statusCode() == 200);
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(int port, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
