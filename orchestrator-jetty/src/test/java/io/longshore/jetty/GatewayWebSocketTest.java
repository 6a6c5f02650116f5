package io.longshore.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.longshore.testkit.RawHttpClient;
import io.longshore.testkit.ScriptedBackend;
import io.longshore.testkit.ScriptedResponse;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * WebSockets through the gateway, between the JDK's WebSocket client and Jetty's WebSocket
 * server: the upgrade request goes on with its {@code Upgrade}, the replica's 101 turns both
 * connections into one tunnel, which is counted in flight and in the metrics while open.
 */
@ParameterizedClass
@EnumSource(Transport.class)
class GatewayWebSocketTest {
    @Parameter
    Transport transport;
    private EchoWebSocketServer replica;
    private TestGateway gateway;
    private HttpClient http;

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (replica != null) {
            replica.close();
        }
    }

    private RoundRobinTestRouter router;

    private void start(GatewayBuilder builder) throws Exception {
        replica = new EchoWebSocketServer();
        router = new RoundRobinTestRouter(replica.port());
        gateway = transport.start(builder.router(router)
                .shutdownTimeout(Duration.ofSeconds(1)), ConnectorSettings.ONE_LOOP);
        http = HttpClient.newHttpClient();
    }

    private void start() throws Exception {
        start(Gateway.builder());
    }

    private double meter(String name) {
        return gateway.meterRegistry().get(name).gauge().value();
    }

    private static byte[] pattern(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (i * 31 + 7);
        }
        return bytes;
    }

    @Test
    void echoesTextAndBinaryMessages() throws Exception {
        start();
        WebSocketClient socket = WebSocketClient.open(http, gateway.port(), "/echo");

        socket.send("hello");
        socket.send(new byte[] {1, 2, 3, (byte) 0xff});

        assertThat(socket.next()).isEqualTo("hello");
        assertThat((byte[]) socket.next()).containsExactly(1, 2, 3, 0xff);
        socket.socket().sendClose(WebSocket.NORMAL_CLOSURE, "").join();
        assertThat(socket.ended().get(10, TimeUnit.SECONDS)).isEqualTo(WebSocket.NORMAL_CLOSURE);
    }

    /** So a replica being drained waits for its sockets (up to the drain timeout) before it is stopped. */
    @Test
    void anOpenSocketKeepsItsReplicasLeaseInFlightUntilItClosesThenReportsThe101() throws Exception {
        start();
        WebSocketClient socket = WebSocketClient.open(http, gateway.port(), "/echo");
        socket.send("hi");
        assertThat(socket.next()).isEqualTo("hi");

        assertThat(router.outcomes()).containsExactly("replica-" + replica.port() + "=pending");
        assertThat(router.routable().get(0).inFlight()).isEqualTo(1);
        socket.socket().sendClose(WebSocket.NORMAL_CLOSURE, "").join();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(router.outcomes())
                .containsExactly("replica-" + replica.port() + "=101"));
        assertThat(router.routable().get(0).inFlight()).isZero();
    }

    @Test
    void carriesAOneMegabyteMessageEachWay() throws Exception {
        start();
        WebSocketClient socket = WebSocketClient.open(http, gateway.port(), "/echo");
        String text = "x".repeat(1 << 20);
        byte[] binary = pattern(1 << 20);

        socket.send(text);
        socket.send(binary);

        assertThat(socket.next()).isEqualTo(text);
        assertThat((byte[]) socket.next()).isEqualTo(binary);
    }

    @Test
    void closeCodesAreRelayedBothWays() throws Exception {
        start();
        WebSocketClient fromClient = WebSocketClient.open(http, gateway.port(), "/echo");
        WebSocketClient fromReplica = WebSocketClient.open(http, gateway.port(), "/echo");

        fromClient.socket().sendClose(4001, "bye").join();
        fromReplica.send("close:4002");

        assertThat(fromReplica.ended().get(10, TimeUnit.SECONDS)).isEqualTo(4002);
        fromClient.ended().get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(replica.closeCodes()).contains(4001));
    }

    @Test
    void aThousandSocketsAtOnceEachGetTheirOwnEchoesAndAreCountedWhileOpen() throws Exception {
        start();
        List<CompletableFuture<WebSocketClient>> opening = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            opening.add(WebSocketClient.openAsync(http, gateway.port(), "/echo"));
        }
        List<WebSocketClient> sockets = new ArrayList<>();
        for (CompletableFuture<WebSocketClient> open : opening) {
            sockets.add(open.get(60, TimeUnit.SECONDS));
        }
        for (int i = 0; i < sockets.size(); i++) {
            sockets.get(i).socket().sendText("socket " + i, true);
        }
        for (int i = 0; i < sockets.size(); i++) {
            assertThat(sockets.get(i).next()).isEqualTo("socket " + i);
        }

        assertThat(meter("longshore.gateway.tunnels")).isEqualTo(1_000);
        assertThat(meter("longshore.gateway.requests.inflight")).isEqualTo(1_000);
        sockets.forEach(s -> s.socket().sendClose(WebSocket.NORMAL_CLOSURE, ""));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(meter("longshore.gateway.tunnels")).isZero();
            assertThat(meter("longshore.gateway.requests.inflight")).isZero();
        });
    }

    @Test
    void aReplicaKilledUnderOpenSocketsEndsEveryOneAndNothingStaysInFlight() throws Exception {
        start();
        List<WebSocketClient> sockets = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            WebSocketClient socket = WebSocketClient.open(http, gateway.port(), "/echo");
            socket.send("ping");
            assertThat(socket.next()).isEqualTo("ping");
            sockets.add(socket);
        }

        replica.close();

        for (WebSocketClient socket : sockets) {
            assertThat(socket.ended().get(30, TimeUnit.SECONDS)).isNotNull();
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(meter("longshore.gateway.tunnels")).isZero();
            assertThat(meter("longshore.gateway.requests.inflight")).isZero();
        });
    }

    @Test
    void closingTheGatewayWaitsForTunnelsUpToItsShutdownTimeoutThenClosesThem() throws Exception {
        start();
        WebSocketClient socket = WebSocketClient.open(http, gateway.port(), "/echo");
        socket.send("still here");
        assertThat(socket.next()).isEqualTo("still here");

        gateway.close();

        assertThat(socket.ended().get(10, TimeUnit.SECONDS)).isNotNull();
    }

    @Test
    void anUpgradeRequestAnsweredWithoutASwitchIsRelayedAsAResponse() throws Exception {
        start();
        try (RawHttpClient raw = new RawHttpClient(gateway.port())) {
            RawHttpClient.Response response = raw.send("GET /not-a-socket HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\n"
                    + "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n")
                    .read();

            assertThat(response.status()).isEqualTo(404);
            assertThat(raw.send("GET /again HTTP/1.1\r\nHost: h\r\n\r\n").read().status()).isEqualTo(404);
        }
    }

    /**
     * Once an upgrade request reached a replica it goes to no other, whatever became of it: a
     * reset, or a 503 (the same request, idempotent, would be tried elsewhere without its Upgrade).
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void anUpgradeRequestThatReachedAReplicaGoesToNoOther(boolean reset) throws Exception {
        try (ScriptedBackend first = ScriptedBackend.start(request -> reset ? ScriptedResponse.reset()
                : ScriptedResponse.status(503));
             ScriptedBackend second = ScriptedBackend.answering("second")) {
            gateway = transport.start(Gateway.builder().router(new RoundRobinTestRouter(first.port(), second.port()))
                    .maxRetryBackoff(Duration.ZERO), ConnectorSettings.ONE_LOOP);
            String upgrade = "GET /socket HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                    + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";

            try (RawHttpClient raw = new RawHttpClient(gateway.port())) {
                assertThat(raw.send(upgrade).read().status()).isEqualTo(reset ? 502 : 503);
            }

            assertThat(first.requests()).hasSize(1);
            assertThat(second.requests()).isEmpty();
            try (RawHttpClient raw = new RawHttpClient(gateway.port())) {
                assertThat(raw.send("GET /plain HTTP/1.1\r\nHost: h\r\n\r\n").read().body())
                        .as("a plain request that fails on the first is retried on the second").isEqualTo("second");
            }
        }
    }

    @Test
    void aClientThatLeavesBeforeTheReplicaAnswersItsUpgradeHasTheLeaseReportedOnceCancelledAsSoonAsTheTransportHearsOfIt() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (ScriptedBackend slow = ScriptedBackend.start(request -> {
            release.await();
            return ScriptedResponse.status(503);
        })) {
            router = new RoundRobinTestRouter(slow.port());
            gateway = transport.start(Gateway.builder().router(router).responseTimeout(Duration.ofMinutes(1)),
                    ConnectorSettings.ONE_LOOP.withClientIdleTimeout(Duration.ofMillis(500)));

            try (RawHttpClient raw = new RawHttpClient(gateway.port())) {
                raw.send(RawUpgradeReplica.UPGRADE);
                await().atMost(Duration.ofSeconds(5)).until(() -> slow.requests().size() == 1);
            }

            String replica = "replica-" + slow.port();
            if (transport == Transport.STANDALONE) {
                // the engine watches the client's connection while the replica works
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                        assertThat(router.outcomes()).containsExactly(replica + "=CANCELLED"));
                release.countDown();
            } else {
                // a host server hears that a client left only when it writes to it: at the answer, as
                // for a plain request (its idle timeout bounds a client's silence, not a replica's)
                release.countDown();
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                        assertThat(router.outcomes()).singleElement().isIn(replica + "=CANCELLED", replica + "=503"));
            }
            assertThat(router.leases).allSatisfy(lease -> assertThat(lease.reports.get()).isEqualTo(1));
            assertThat(router.strayReports).hasValue(0);
        }
    }

    @Test
    void aSilentTunnelIsClosedAfterItsIdleTimeout() throws Exception {
        start(Gateway.builder().tunnelIdleTimeout(Duration.ofMillis(300)));
        WebSocketClient socket = WebSocketClient.open(http, gateway.port(), "/echo");

        assertThat(socket.ended().get(10, TimeUnit.SECONDS)).isNotNull();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(meter("longshore.gateway.tunnels")).isZero());
    }
}
