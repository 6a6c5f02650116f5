package io.longshore.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.longshore.api.OrchestratorException;
import io.longshore.testkit.RawHttpClient;
import io.longshore.testkit.ScriptedBackend;
import io.longshore.testkit.ScriptedResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** One access-log line per request, with what the gateway did for it, in both formats. */
@ParameterizedClass
@EnumSource(Transport.class)
class GatewayAccessLogTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @Parameter
    Transport transport;
    @TempDir
    Path dir;
    private ScriptedBackend first;
    private ScriptedBackend second;
    private TestGateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        for (ScriptedBackend backend : new ScriptedBackend[] {first, second}) {
            if (backend != null) {
                backend.close();
            }
        }
    }

    private Path start(AccessLog.Format format, ScriptedBackend... replicas) {
        Path file = dir.resolve("logs").resolve("access.log");
        int[] ports = new int[replicas.length];
        for (int i = 0; i < replicas.length; i++) {
            ports[i] = replicas[i].port();
        }
        gateway = transport.start(Gateway.builder().router(new RoundRobinTestRouter(ports))
                .accessLog(AccessLog.toFile(file, format)).maxRetryBackoff(Duration.ZERO), ConnectorSettings.ONE_LOOP);
        return file;
    }

    private static List<String> lines(Path file, int count) {
        return await().atMost(Duration.ofSeconds(10)).until(
                () -> Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.<String>of(),
                lines -> lines.size() >= count);
    }

    @Test
    void aFileThatCannotBeOpenedFailsTheStartNamingTheFile() throws Exception {
        first = ScriptedBackend.start(request -> ScriptedResponse.ok("ok"));
        Path directory = Files.createDirectories(dir.resolve("a-directory"));
        Path underAFile = Files.writeString(dir.resolve("a-file"), "x").resolve("access.log");

        for (Path file : List.of(directory, underAFile)) {
            GatewayBuilder builder = Gateway.builder().router(new RoundRobinTestRouter(first.port()))
                    .accessLog(AccessLog.toFile(file, AccessLog.Format.COMBINED));

            assertThatThrownBy(() -> gateway = transport.start(builder))
                    .isInstanceOf(OrchestratorException.class)
                    .hasMessageContaining("the access log " + file + " cannot be opened for writing");
        }
    }

    @Test
    void aJsonLineSaysWhoAskedWhatWhichReplicaAnsweredAndHowLongEachPartTook() throws Exception {
        first = ScriptedBackend.start(request -> ScriptedResponse.ok("twelve bytes"));
        Path file = start(AccessLog.Format.JSON, first);

        try (RawHttpClient http = new RawHttpClient(gateway.port())) {
            http.send("GET /items?page=2 HTTP/1.1\r\nHost: shop\r\nUser-Agent: tester/1.0\r\nReferer: http://r/\r\n\r\n")
                    .read();
        }
        gateway.close(); // the log is flushed and closed with the gateway
        JsonNode line = JSON.readTree(lines(file, 1).get(0));

        assertThat(line.get("client").asText()).isEqualTo("127.0.0.1");
        assertThat(line.get("method").asText()).isEqualTo("GET");
        assertThat(line.get("path").asText()).isEqualTo("/items?page=2");
        assertThat(line.get("protocol").asText()).isEqualTo("HTTP/1.1");
        assertThat(line.get("status").asInt()).isEqualTo(200);
        assertThat(line.get("bytes").asLong()).isEqualTo(12);
        assertThat(line.get("service").asText()).isEqualTo("static");
        assertThat(line.get("replica").asText()).isEqualTo("replica-" + first.port());
        assertThat(line.get("upstream_status").asInt()).isEqualTo(200);
        assertThat(line.get("retries").asInt()).isZero();
        double total = line.get("total_ms").asDouble();
        assertThat(line.get("upstream_connect_ms").asDouble()).isBetween(0.0, total);
        assertThat(line.get("upstream_first_byte_ms").asDouble()).isBetween(0.0, total);
        assertThat(line.get("user_agent").asText()).isEqualTo("tester/1.0");
        assertThat(line.get("referer").asText()).isEqualTo("http://r/");
        assertThat(line.get("time").asText()).endsWith("Z");
    }

    @Test
    void aRetriedRequestLogsTheReplicaThatAnsweredLastAndOneRetry() throws Exception {
        first = ScriptedBackend.start(request -> ScriptedResponse.status(503));
        second = ScriptedBackend.start(request -> ScriptedResponse.ok("fine"));
        Path file = start(AccessLog.Format.JSON, first, second);

        try (RawHttpClient http = new RawHttpClient(gateway.port())) {
            assertThat(http.send("GET /r HTTP/1.1\r\nHost: h\r\n\r\n").read().body()).isEqualTo("fine");
        }
        JsonNode line = JSON.readTree(lines(file, 1).get(0));

        assertThat(line.get("status").asInt()).isEqualTo(200);
        assertThat(line.get("retries").asInt()).isEqualTo(1);
        assertThat(line.get("replica").asText()).isEqualTo("replica-" + second.port());
    }

    @Test
    void combinedLinesCoverAnswersTheGatewayGaveItself() throws Exception {
        first = ScriptedBackend.answering("hello");
        Path file = start(AccessLog.Format.COMBINED, first);

        try (RawHttpClient http = new RawHttpClient(gateway.port())) {
            http.send("POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nhi").read();
            http.send("GET /b%22 HTTP/1.1\r\nHost: h\r\nUser-Agent: say \"hi\"\r\n\r\n").read();
        }
        List<String> lines = lines(file, 2);

        assertThat(lines.get(0)).matches("127\\.0\\.0\\.1 - - \\[\\d\\d/\\w{3}/\\d{4}:\\d\\d:\\d\\d:\\d\\d \\+0000] "
                + "\"POST /a HTTP/1\\.1\" 200 5 \"-\" \"-\" service=static replica=replica-" + first.port()
                + " upstream_status=200 retries=0 total_ms=\\d+\\.\\d{3} connect_ms=\\d+\\.\\d{3}"
                + " first_byte_ms=\\d+\\.\\d{3}");
        assertThat(lines.get(1)).contains("\"GET /b%22 HTTP/1.1\" 200 5 \"-\" \"say \\\"hi\\\"\"");
    }

    @Test
    void aHeadRefusedAfterItsRequestLineIsLoggedWithItAndOneThatCouldNotBeReadWithout() throws Exception {
        // the host server of the embedded handler answers such heads itself, before the handler logs
        assumeTrue(transport == Transport.STANDALONE, "the standalone engine's own answers");
        first = ScriptedBackend.answering("hello");
        Path file = start(AccessLog.Format.COMBINED, first);

        try (RawHttpClient http = new RawHttpClient(gateway.port())) {
            assertThat(http.send("PUT /v?x=1 HTTP/1.1\r\nHost: h\r\nExpect: something\r\nUser-Agent: ua\r\n\r\n")
                    .read().status()).isEqualTo(417);
        }
        try (RawHttpClient http = new RawHttpClient(gateway.port())) {
            assertThat(http.send("GET /w HTTP/1.1\r\nHost: a b\r\n\r\n").read().status()).isEqualTo(400);
        }
        try (RawHttpClient http = new RawHttpClient(gateway.port())) {
            assertThat(http.send("GET /w HTTP/1.1 x\r\nHost: h\r\n\r\n").read().status()).isEqualTo(400);
        }
        List<String> lines = lines(file, 3);

        assertThat(lines.get(0)).contains("\"PUT /v?x=1 HTTP/1.1\" 417 ").contains("\"-\" \"ua\" service=-");
        assertThat(lines.get(1)).contains("\"GET /w HTTP/1.1\" 400 ");
        assertThat(lines.get(2)).as("a request line that could not be read").contains("\"-\" 400 ");
        assertThat(first.requests()).isEmpty();
    }
}
