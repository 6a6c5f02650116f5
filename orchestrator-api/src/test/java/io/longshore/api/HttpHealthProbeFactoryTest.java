package io.longshore.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link HealthProbe#http}, against a real HTTP server on an ephemeral loopback port. */
class HttpHealthProbeFactoryTest {
    private final AtomicInteger status = new AtomicInteger(200);
    private final CountDownLatch release = new CountDownLatch(1);
    private HttpServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/v1/_health", exchange -> {
            exchange.sendResponseHeaders(status.get(), -1);
            exchange.close();
        });
        server.createContext("/hang", exchange -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
    }

    private static ProbeResult probe(HealthProbe probe, int port) throws Exception {
        return probe.probe(new FixedBackend(Endpoint.loopback(port))).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private int port() {
        return server.getAddress().getPort();
    }

    @Test
    void twoAndThreeHundredsAreHealthyAndTheReasonIsTheStatus() throws Exception {
        HealthProbe probe = HealthProbe.http("/api/v1/_health");

        assertThat(probe(probe, port())).isEqualTo(ProbeResult.pass("200"));
        status.set(302);
        assertThat(probe(probe, port())).isEqualTo(ProbeResult.pass("302"));
    }

    @Test
    void fourAndFiveHundredsAreUnhealthy() throws Exception {
        HealthProbe probe = HealthProbe.http("/api/v1/_health");

        status.set(500);
        assertThat(probe(probe, port())).isEqualTo(ProbeResult.fail("500"));
        status.set(404);
        assertThat(probe(probe, port())).isEqualTo(ProbeResult.fail("404"));
    }

    @Test
    void aRefusedConnectionIsUnhealthyWithTheErrorAsReason() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        ProbeResult result = probe(HealthProbe.http("/api/v1/_health"), closedPort);

        assertThat(result.healthy()).isFalse();
        assertThat(result.reason()).contains("ConnectException");
    }

    @Test
    void anAnswerSlowerThanTheTimeoutsIsUnhealthy() throws Exception {
        HealthProbe probe = HealthProbe.http("/hang", Duration.ofMillis(100), Duration.ofMillis(100));

        ProbeResult result = probe(probe, port());

        assertThat(result.healthy()).isFalse();
        assertThat(result.reason()).contains("HttpTimeoutException");
    }

    @Test
    void theTcpAndHttpProbesNameThemselves() {
        assertThat(HealthProbe.http("/api/v1/_health")).hasToString("http(/api/v1/_health)");
        assertThat(HealthProbe.tcp(Duration.ofSeconds(1))).hasToString("tcp");
    }

    @Test
    void aPathMustStartWithASlashAndTimeoutsMustBePositive() {
        assertThatThrownBy(() -> HealthProbe.http("health")).hasMessageContaining("path must start with '/'");
        assertThatThrownBy(() -> HealthProbe.http(null)).hasMessageContaining("path must start with '/'");
        assertThatThrownBy(() -> HealthProbe.http("/", Duration.ZERO, Duration.ofSeconds(1)))
                .hasMessageContaining("connectTimeout");
        assertThatThrownBy(() -> HealthProbe.http("/", Duration.ofSeconds(1), Duration.ofMillis(-1)))
                .hasMessageContaining("responseTimeout");
    }

    private record FixedBackend(Endpoint endpoint) implements Backend {
        @Override
        public String id() {
            return "r";
        }

        @Override
        public int inFlight() {
            return 0;
        }

        @Override
        public long latencyEwmaNanos() {
            return 0;
        }
    }
}
