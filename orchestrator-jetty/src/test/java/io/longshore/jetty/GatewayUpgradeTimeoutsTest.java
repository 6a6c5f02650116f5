package io.longshore.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.longshore.testkit.RawHttpClient;
import io.longshore.testkit.ScriptedBackend;
import io.longshore.testkit.ScriptedResponse;
import java.io.IOException;
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
 * An upgrade request is timed as any request: a client pausing in its body is bounded by its
 * idle timeout (408), not by the response timeout; a replica that has the whole request is
 * bounded by the response timeout (504), not by the client's idle timeout, until its 101. Time
 * passes as timeouts seen elsewhere: 504s on other requests, idle connections closed.
 */
@ParameterizedClass
@EnumSource(Transport.class)
class GatewayUpgradeTimeoutsTest {
    private static final Duration SHORT = Duration.ofMillis(300);
    /** Longer than the timeouts a test waits out. */
    private static final Duration LONG = Duration.ofSeconds(30);
    private static final String UPGRADE_WITH_BODY = "POST /upload HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\n"
            + "Upgrade: raw\r\nContent-Length: 10\r\n\r\n01234";
    @Parameter
    Transport transport;
    private ScriptedBackend replica;
    private ScriptedBackend silent;
    private RawUpgradeReplica switching;
    private RoundRobinTestRouter router;
    private TestGateway gateway;

    @AfterEach
    void stop() throws IOException {
        if (gateway != null) {
            gateway.close();
        }
        if (replica != null) {
            replica.close();
        }
        if (silent != null) {
            silent.close();
        }
        if (switching != null) {
            switching.close();
        }
    }

    /** A gateway routing to the replica on {@code port}; {@code /silent} goes to a replica that never answers. */
    private void start(int port, Duration responseTimeout, Duration clientIdleTimeout) {
        silent = ScriptedBackend.start(request -> ScriptedResponse.noAnswer());
        router = new RoundRobinTestRouter(port);
        gateway = transport.start(Gateway.builder().responseTimeout(responseTimeout).retryBudget(0)
                        .route("/silent", "silent", new RoundRobinTestRouter(silent.port()))
                        .route("/", "replica", router),
                ConnectorSettings.DEFAULTS.withClientIdleTimeout(clientIdleTimeout));
    }

    private void startEchoing(Duration responseTimeout, Duration clientIdleTimeout) {
        replica = ScriptedBackend.start(request -> ScriptedResponse.ok("got " + request.body()));
        start(replica.port(), responseTimeout, clientIdleTimeout);
    }

    /** Lets {@code count} response timeouts pass, one after another, each seen as a 504 on another request. */
    private void waitOutResponseTimeouts(int count) throws Exception {
        for (int i = 0; i < count; i++) {
            try (RawHttpClient other = new RawHttpClient(gateway.port())) {
                assertThat(other.send("GET /silent HTTP/1.1\r\nHost: h\r\n\r\n").read().status()).isEqualTo(504);
            }
        }
    }

    /** Lets {@code count} client idle timeouts pass, one after another, each seen as an idle connection closed. */
    private void waitOutClientIdleTimeouts(int count) throws Exception {
        for (int i = 0; i < count; i++) {
            try (RawHttpClient idle = new RawHttpClient(gateway.port())) {
                assertThat(idle.isClosedByPeer()).isTrue();
            }
        }
    }

    @Test
    void anUpgradeRequestPausingMidBodyLongerThanTheResponseTimeoutButWithinItsIdleTimeoutIsServed() throws Exception {
        startEchoing(SHORT, LONG);

        try (RawHttpClient upload = new RawHttpClient(gateway.port())) {
            upload.send(UPGRADE_WITH_BODY);
            await().atMost(Duration.ofSeconds(10)).until(() -> replica.connections() == 1);
            waitOutResponseTimeouts(3); // the upload pauses meanwhile

            RawHttpClient.Response response = upload.send("56789").read();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("got 0123456789");
        }
    }

    @Test
    void anUpgradeRequestPausingMidBodyBeyondItsIdleTimeoutGets408AndTheReplicaIsNotBlamed() throws Exception {
        startEchoing(SHORT, SHORT.multipliedBy(4));

        try (RawHttpClient upload = new RawHttpClient(gateway.port())) {
            assertThat(upload.send(UPGRADE_WITH_BODY).read().status()).isEqualTo(408);
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(router.outcomes())
                .containsExactly("replica-" + replica.port() + "=CANCELLED"));
    }

    @Test
    void aReplicaSlowerToSwitchThanTheClientIdleTimeoutIsWaitedFor() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        switching = RawUpgradeReplica.start(true, () -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        start(switching.port(), LONG, SHORT);

        try (Socket client = new Socket("127.0.0.1", gateway.port())) {
            client.setSoTimeout(10_000);
            client.getOutputStream().write(RawUpgradeReplica.UPGRADE.getBytes(StandardCharsets.US_ASCII));
            waitOutClientIdleTimeouts(3); // the replica holds its 101 meanwhile
            release.countDown();

            assertThat(RawUpgradeReplica.head(client.getInputStream())).startsWith("HTTP/1.1 101");
            client.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
            client.shutdownOutput();
            assertThat(new String(client.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                    .isEqualTo("got:hello");
        }
    }

    @Test
    void aReplicaSilentAfterTheWholeUpgradeRequestGets504() throws Exception {
        replica = ScriptedBackend.start(request -> ScriptedResponse.noAnswer());
        start(replica.port(), SHORT, LONG);

        try (RawHttpClient upgrade = new RawHttpClient(gateway.port())) {
            assertThat(upgrade.send(RawUpgradeReplica.UPGRADE).read().status()).isEqualTo(504);
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(router.outcomes())
                .containsExactly("replica-" + replica.port() + "=TIMEOUT"));
    }
}
