package io.longshore.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Half-close through a tunnel, on raw sockets: a client that ends its stream after its bytes
 * still gets what the replica sends after reading that end; and a tunnel whose one side ended
 * while the other stays silent and open is closed after the client idle timeout, not kept for
 * the tunnel's (as HAProxy's {@code timeout client-fin}).
 */
@ParameterizedClass
@EnumSource(Transport.class)
class GatewayTunnelHalfCloseTest {
    private static final String UPGRADE = "GET /raw HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\nUpgrade: raw\r\n\r\n";

    @Parameter
    Transport transport;
    private TestGateway gateway;
    private ServerSocket replica;
    private final CountDownLatch released = new CountDownLatch(1);

    @AfterEach
    void stop() throws IOException {
        released.countDown();
        if (gateway != null) {
            gateway.close();
        }
        if (replica != null) {
            replica.close();
        }
    }

    /**
     * A replica that switches to a raw protocol, reads the client's bytes to their end and then,
     * if {@code answers}, sends {@code got:} and them back and closes; otherwise it holds the
     * connection open and silent until the test ends.
     */
    private void startReplica(boolean answers) throws IOException {
        replica = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread serving = new Thread(() -> {
            try (Socket socket = replica.accept()) {
                InputStream in = socket.getInputStream();
                head(in);
                OutputStream out = socket.getOutputStream();
                out.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: raw\r\nConnection: Upgrade\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                byte[] received = in.readAllBytes();
                if (answers) {
                    out.write(("got:" + new String(received, StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } else {
                    released.await();
                }
            } catch (IOException | InterruptedException e) {
                // the test ended
            }
        }, "raw-replica");
        serving.setDaemon(true);
        serving.start();
    }

    private void startGateway(GatewayBuilder builder, ConnectorSettings connector) {
        gateway = transport.start(builder.router(new RoundRobinTestRouter(replica.getLocalPort())), connector);
    }

    /** Reads a head up to its blank line and returns it. */
    private static String head(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed in the head: " + head);
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    private Socket upgraded() throws IOException {
        Socket client = new Socket("127.0.0.1", gateway.port());
        client.setSoTimeout(10_000);
        client.getOutputStream().write(UPGRADE.getBytes(StandardCharsets.US_ASCII));
        assertThat(head(client.getInputStream())).startsWith("HTTP/1.1 101");
        return client;
    }

    @Test
    void aClientThatEndsItsStreamStillGetsWhatTheReplicaSendsAfterReadingThatEnd() throws Exception {
        startReplica(true);
        startGateway(Gateway.builder(), ConnectorSettings.ONE_LOOP);

        try (Socket client = upgraded()) {
            client.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
            client.shutdownOutput();

            assertThat(new String(client.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                    .isEqualTo("got:hello");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> gauge("longshore.gateway.tunnels") == 0);
    }

    /** The half-closed timeout counts from the half-close: a tunnel silent for longer before it still gets its answer. */
    @Test
    void aTunnelSilentForLongerThanTheClientIdleTimeoutThenHalfClosedStillGetsTheAnswer() throws Exception {
        startReplica(true);
        startGateway(Gateway.builder().tunnelIdleTimeout(Duration.ofHours(1)),
                ConnectorSettings.ONE_LOOP.withClientIdleTimeout(Duration.ofMillis(300)));

        try (Socket client = upgraded()) {
            Thread.sleep(900); // silent both ways, three times the client idle timeout
            client.shutdownOutput();

            assertThat(new String(client.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                    .isEqualTo("got:");
        }
    }

    @Test
    void aHalfClosedTunnelWhosePeerStaysSilentClosesAfterTheClientIdleTimeout() throws Exception {
        startReplica(false);
        startGateway(Gateway.builder().tunnelIdleTimeout(Duration.ofHours(1)),
                ConnectorSettings.ONE_LOOP.withClientIdleTimeout(Duration.ofMillis(500)));

        try (Socket client = upgraded()) {
            client.getOutputStream().write("bye".getBytes(StandardCharsets.US_ASCII));
            client.shutdownOutput();

            assertThat(client.getInputStream().read()).as("the end, within the socket's 10 s").isEqualTo(-1);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> gauge("longshore.gateway.tunnels") == 0);
    }

    private double gauge(String name) {
        return gateway.meterRegistry().get(name).gauge().value();
    }
}
