package io.longshore.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.longshore.testkit.RawHttpClient;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
    @Parameter
    Transport transport;
    private TestGateway gateway;
    private RawUpgradeReplica replica;

    @AfterEach
    void stop() throws IOException {
        if (gateway != null) {
            gateway.close();
        }
        if (replica != null) {
            replica.close();
        }
    }

    private void startReplica(boolean answers) throws IOException {
        replica = RawUpgradeReplica.start(answers);
    }

    private void startGateway(GatewayBuilder builder, ConnectorSettings connector) {
        gateway = transport.start(builder.router(new RoundRobinTestRouter(replica.port())), connector);
    }

    private Socket upgraded() throws IOException {
        Socket client = new Socket("127.0.0.1", gateway.port());
        client.setSoTimeout(10_000);
        client.getOutputStream().write(RawUpgradeReplica.UPGRADE.getBytes(StandardCharsets.US_ASCII));
        assertThat(RawUpgradeReplica.head(client.getInputStream())).startsWith("HTTP/1.1 101");
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

    @Test
    void anUpgradeWhoseRouterThrowsGets502() throws Exception {
        startReplica(true);
        gateway = transport.start(Gateway.builder().router(new RoundRobinTestRouter(replica.port()) {
            @Override
            TestBackend pick(java.util.List<TestBackend> candidates) {
                throw new AssertionError("router assertion");
            }
        }), ConnectorSettings.ONE_LOOP);

        try (Socket client = new Socket("127.0.0.1", gateway.port())) {
            client.setSoTimeout(10_000);
            client.getOutputStream().write(RawUpgradeReplica.UPGRADE.getBytes(StandardCharsets.US_ASCII));

            assertThat(RawUpgradeReplica.head(client.getInputStream())).startsWith("HTTP/1.1 502");
        }
    }

    /** The half-closed timeout counts from the half-close: a tunnel silent for longer before it still gets its answer. */
    @Test
    void aTunnelSilentForLongerThanTheClientIdleTimeoutThenHalfClosedStillGetsTheAnswer() throws Exception {
        startReplica(true);
        startGateway(Gateway.builder().tunnelIdleTimeout(Duration.ofHours(1)),
                ConnectorSettings.ONE_LOOP.withClientIdleTimeout(Duration.ofMillis(300)));

        try (Socket client = upgraded(); RawHttpClient idle = new RawHttpClient(gateway.port())) {
            // a connection opened after the switch and closed for its silence: the tunnel has
            // been silent both ways for longer than the client idle timeout too
            await().atMost(Duration.ofSeconds(10)).until(idle::isClosedByPeer);
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
