package io.longshore.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.longshore.api.Endpoint;
import io.longshore.testkit.RawHttpClient;
import io.longshore.testkit.ScriptedBackend;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The standalone engine's connection pools are per replica endpoint and event loop; replica
 * endpoints come and go (rollouts, pods' new IPs), so the pool of an endpoint no router knows
 * any more is let go of: its idle connections are closed (and the pool dropped,
 * {@code UpstreamPoolsTest}). The embedded transport's pools are Jetty's client's.
 */
class GatewayGonePoolTest {
    private TestGateway gateway;
    private ScriptedBackend successor;
    private ServerSocket replica;
    private final AtomicBoolean closedByGateway = new AtomicBoolean();

    @AfterEach
    void stop() throws IOException {
        if (gateway != null) {
            gateway.close();
        }
        if (successor != null) {
            successor.close();
        }
        if (replica != null) {
            replica.close();
        }
    }

    @Test
    void theIdleConnectionToAReplicaThatLeftTheRouterIsClosed() throws Exception {
        replica = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread serving = new Thread(this::serveOneConnection, "gone-replica");
        serving.setDaemon(true);
        serving.start();
        successor = ScriptedBackend.answering("successor");
        RoundRobinTestRouter router = new RoundRobinTestRouter(replica.getLocalPort());
        gateway = Transport.STANDALONE.start(Gateway.builder().responseTimeout(Duration.ofMinutes(5)).router(router),
                ConnectorSettings.ONE_LOOP);
        try (RawHttpClient http = new RawHttpClient(gateway.port())) {
            assertThat(http.send("GET /a HTTP/1.1\r\nHost: h\r\n\r\n").read().body()).isEqualTo("ok");
        }

        router.offerOnly(Endpoint.loopback(successor.port())); // the replica leaves; its connection stays pooled

        await().atMost(Duration.ofSeconds(10)).untilTrue(closedByGateway);
        try (RawHttpClient http = new RawHttpClient(gateway.port())) {
            assertThat(http.send("GET /b HTTP/1.1\r\nHost: h\r\n\r\n").read().body()).isEqualTo("successor");
        }
    }

    /** Answers one request on one connection, then notes when the gateway closes that connection. */
    private void serveOneConnection() {
        try (Socket socket = replica.accept()) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            readHead(in);
            socket.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            if (in.read() == -1) {
                closedByGateway.set(true);
            }
        } catch (IOException e) {
            // the test ended first
        }
    }

    private static void readHead(InputStream in) throws IOException {
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b == -1) {
                throw new IOException("the request head ended early");
            }
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
        }
    }
}
