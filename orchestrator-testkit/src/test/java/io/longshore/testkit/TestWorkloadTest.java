package io.longshore.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.longshore.api.Endpoint;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The test workload serves health, crash, count, slow and echo requests, and can hang. */
class TestWorkloadTest {
    private static final Duration AWAIT = Duration.ofSeconds(30);
    private final HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
            .connectTimeout(Duration.ofSeconds(1)).build();
    private final RuntimeProbes probes = new RuntimeProbes();
    private Process workload;

    @AfterEach
    void stopWorkload() {
        if (workload != null) {
            workload.destroyForcibly();
        }
    }

    @Test
    void itServesHealthUntilACrashRequestThenAnswers500() throws Exception {
        Endpoint endpoint = startWorkload();

        assertThat(send("GET", endpoint, TestWorkload.HEALTH_PATH).statusCode()).isEqualTo(200);
        assertThat(send("POST", endpoint, TestWorkload.CRASH_PATH).statusCode()).isEqualTo(200);
        assertThat(send("GET", endpoint, TestWorkload.HEALTH_PATH).statusCode()).isEqualTo(500);
    }

    @Test
    void itCountsOrdinaryRequestsAndNamesItselfInAHeader() throws Exception {
        Endpoint endpoint = startWorkload("--id", "replica-a");

        HttpResponse<String> echo = send("GET", endpoint, "/api/v1/acts");
        send("GET", endpoint, "/other");
        send("GET", endpoint, TestWorkload.HEALTH_PATH);

        assertThat(echo.body()).isEqualTo("replica-a GET /api/v1/acts");
        assertThat(echo.headers().firstValue(TestWorkload.REPLICA_HEADER)).contains("replica-a");
        assertThat(echo.headers().firstValue(TestWorkload.VERSION_HEADER)).contains("v1");
        assertThat(send("GET", endpoint, TestWorkload.COUNT_PATH).body()).isEqualTo("2");
    }

    @Test
    void itNamesTheVersionFromTheEnvironmentOrTheFlag() throws Exception {
        Endpoint fromEnv = startWorkload(java.util.Map.of(TestWorkload.VERSION_ENV, "v2"));
        assertThat(send("GET", fromEnv, "/api/v1/acts").headers().firstValue(TestWorkload.VERSION_HEADER)).contains("v2");
        workload.destroyForcibly();

        Endpoint fromFlag = startWorkload(java.util.Map.of(TestWorkload.VERSION_ENV, "v2"), "--version", "v3");
        assertThat(send("GET", fromFlag, TestWorkload.HEALTH_PATH).headers().firstValue(TestWorkload.VERSION_HEADER))
                .contains("v3");
    }

    @Test
    void inHangModeItAcceptsConnectionsButNeverAnswers() throws Exception {
        int port = freePort();
        workload = new ProcessBuilder(TestWorkload.command("--port", Integer.toString(port), "--hang"))
                .redirectErrorStream(true).start();
        Endpoint endpoint = Endpoint.loopback(port);
        await().atMost(AWAIT).until(() -> probes.accepts(endpoint));

        HttpRequest request = HttpRequest.newBuilder(uri(endpoint, TestWorkload.HEALTH_PATH))
                .timeout(Duration.ofMillis(300)).build();
        assertThatThrownBy(() -> http.send(request, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(HttpTimeoutException.class);
    }

    @Test
    void afterAHangRequestItAcceptsConnectionsButAnswersNothingNotEvenHealth() throws Exception {
        Endpoint endpoint = startWorkload();

        assertThat(send("POST", endpoint, TestWorkload.HANG_PATH).statusCode()).isEqualTo(200);

        HttpRequest request = HttpRequest.newBuilder(uri(endpoint, TestWorkload.HEALTH_PATH))
                .timeout(Duration.ofMillis(300)).build();
        assertThatThrownBy(() -> http.send(request, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(HttpTimeoutException.class);
        assertThat(probes.accepts(endpoint)).isTrue();
    }

    @Test
    void aDelayInTheQueryHoldsTheAnswerBackThatLong() throws Exception {
        Endpoint endpoint = startWorkload("--id", "slow");

        HttpRequest tooImpatient = HttpRequest.newBuilder(uri(endpoint, "/api/v1/acts?delay=2000"))
                .timeout(Duration.ofMillis(300)).build();
        assertThatThrownBy(() -> http.send(tooImpatient, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(HttpTimeoutException.class);
        assertThat(send("GET", endpoint, "/api/v1/acts?delay=50").body()).isEqualTo("slow GET /api/v1/acts");
    }

    @Test
    void theDelayIsReadFromTheQueryAndMalformedOrMissingValuesMeanNone() {
        assertThat(TestWorkload.delayMillis("a=1&delay=250")).isEqualTo(250);
        assertThat(TestWorkload.delayMillis("delay=x")).isZero();
        assertThat(TestWorkload.delayMillis("delay=-5")).isZero();
        assertThat(TestWorkload.delayMillis(null)).isZero();
        assertThat(TestWorkload.delayMillis("delay=99999999")).isEqualTo(60_000);
    }

    @Test
    void theCommandRunsTheWorkloadClassWithTheGivenArguments() {
        List<String> command = TestWorkload.command("--hang");

        assertThat(command).endsWith(TestWorkload.class.getName(), "--hang");
        assertThat(command.get(0)).endsWith("java");
    }

    private Endpoint startWorkload(String... args) throws IOException {
        return startWorkload(java.util.Map.of(), args);
    }

    private Endpoint startWorkload(java.util.Map<String, String> env, String... args) throws IOException {
        int port = freePort();
        ProcessBuilder builder = new ProcessBuilder(TestWorkload.command(args)).redirectErrorStream(true);
        builder.environment().putAll(env);
        builder.environment().put("PORT", Integer.toString(port));
        workload = builder.start();
        Endpoint endpoint = Endpoint.loopback(port);
        await().atMost(AWAIT).until(() -> probes.httpStatus(endpoint, TestWorkload.HEALTH_PATH) == 200);
        return endpoint;
    }

    private HttpResponse<String> send(String method, Endpoint endpoint, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri(endpoint, path)).timeout(AWAIT)
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(Endpoint endpoint, String path) {
        return URI.create("http://" + endpoint + path);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
