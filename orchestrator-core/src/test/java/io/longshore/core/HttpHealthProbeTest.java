package io.longshore.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.longshore.api.Endpoint;
import io.longshore.api.ProbeResult;
import io.longshore.core.internal.ReplicaBackend;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against a real HTTP server on an ephemeral loopback port. */
class HttpHealthProbeTest {
    private final AtomicInteger status = new AtomicInteger(200);
    private HttpServer server;
    private HttpHealthProbe probe;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/_health", exchange -> {
            exchange.sendResponseHeaders(status.get(), -1);
            exchange.close();
        });
        server.start();
        probe = HttpHealthProbe.builder("/api/v1/_health")
                .connectTimeout(Duration.ofSeconds(2)).responseTimeout(Duration.ofSeconds(2)).build();
    }

    @AfterEach
    void stop() {
        probe.close();
        server.stop(0);
    }

    private ProbeResult probe(int port) throws Exception {
        return probe.probe(new ReplicaBackend("r", Endpoint.loopback(port))).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void twoAndThreeHundredsAreHealthyAndTheReasonIsTheStatus() throws Exception {
        assertThat(probe(server.getAddress().getPort())).isEqualTo(ProbeResult.pass("200"));
        status.set(302);
        assertThat(probe(server.getAddress().getPort()).healthy()).isTrue();
    }

    @Test
    void fourAndFiveHundredsAreUnhealthy() throws Exception {
        status.set(500);
        assertThat(probe(server.getAddress().getPort())).isEqualTo(ProbeResult.fail("500"));
        status.set(404);
        assertThat(probe(server.getAddress().getPort()).healthy()).isFalse();
    }

    @Test
    void aRefusedConnectionIsUnhealthyWithTheErrorAsReason() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        ProbeResult result = probe(closedPort);

        assertThat(result.healthy()).isFalse();
        assertThat(result.reason()).containsIgnoringCase("refused");
    }

    @Test
    void aClosedProbeFailsInsteadOfThrowing() throws Exception {
        probe.close();
        probe.close();

        assertThat(probe(server.getAddress().getPort()).healthy()).isFalse();
    }

    @Test
    void aPathMustStartWithASlash() {
        assertThatThrownBy(() -> HttpHealthProbe.of("health")).hasMessageContaining("path must start with '/'");
        assertThatThrownBy(() -> HttpHealthProbe.builder("/").connectTimeout(Duration.ZERO))
                .hasMessageContaining("connectTimeout");
        assertThat(HttpHealthProbe.builder("/h")).isNotNull();
    }
}
