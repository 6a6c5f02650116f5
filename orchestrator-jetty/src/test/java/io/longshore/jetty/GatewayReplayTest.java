package io.longshore.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.longshore.testkit.RawHttpClient;
import io.longshore.testkit.RecordedRequest;
import io.longshore.testkit.ScriptedBackend;
import io.longshore.testkit.ScriptedResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** What the gateway can send again, and what it reports when a client or replica goes away. */
@ParameterizedClass
@EnumSource(Transport.class)
class GatewayReplayTest {
    @Parameter
    Transport transport;
    private ScriptedBackend failing;
    private ScriptedBackend working;
    private TestGateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        for (ScriptedBackend backend : new ScriptedBackend[] {failing, working}) {
            if (backend != null) {
                backend.close();
            }
        }
    }

    @Test
    void retriesAPutWithItsWholeBodyOnAnotherReplicaAfter503() throws Exception {
        failing = ScriptedBackend.start(request -> ScriptedResponse.status(503).withBody("down"));
        working = ScriptedBackend.answering("stored");
        RoundRobinTestRouter router = new RoundRobinTestRouter(failing.port(), working.port());
        gateway = transport.start(Gateway.builder().router(router), ConnectorSettings.ONE_LOOP);
        String body = "{\"doc\":\"" + "d".repeat(4_000) + "\"}";

        try (RawHttpClient http = new RawHttpClient(gateway.port())) {
            RawHttpClient.Response response = http.send("PUT /docs/1 HTTP/1.1\r\nHost: h\r\nContent-Length: " + body.length()
                    + "\r\n\r\n" + body).read();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("stored");
        }
        assertThat(failing.requests()).extracting(RecordedRequest::body).containsExactly(body);
        assertThat(working.requests()).extracting(RecordedRequest::body).containsExactly(body);
        assertThat(router.outcomes()).containsExactly("replica-" + failing.port() + "=503",
                "replica-" + working.port() + "=200");
    }

    @Test
    void reportsTheLeaseOnceWhenTheClientLeavesBeforeTheAnswerCancelledAsSoonAsTheTransportHearsOfIt() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        working = ScriptedBackend.start(request -> {
            release.await();
            return ScriptedResponse.ok("late");
        });
        RoundRobinTestRouter router = new RoundRobinTestRouter(working.port());
        gateway = transport.start(Gateway.builder().router(router));

        try (RawHttpClient http = new RawHttpClient(gateway.port())) {
            http.send("GET /slow HTTP/1.1\r\nHost: h\r\n\r\n");
            await().atMost(Duration.ofSeconds(5)).until(() -> working.requests().size() == 1);
        }

        String replica = "replica-" + working.port();
        if (transport == Transport.STANDALONE) {
            // the engine watches the client's connection while the replica works
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(router.outcomes()).containsExactly(replica + "=CANCELLED"));
            release.countDown();
        } else {
            // a host server hears that a client left only when it writes to it: at the answer
            release.countDown();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(router.outcomes()).singleElement().isIn(replica + "=CANCELLED", replica + "=200"));
        }
        assertThat(router.leases).allSatisfy(lease -> assertThat(lease.reports.get()).isEqualTo(1));
        assertThat(router.strayReports).hasValue(0);
    }

    @Test
    void aReplicaThatClosesIdleConnectionsCostsNoRequest() throws Exception {
        // closes without saying so, as a keep-alive timeout does
        working = ScriptedBackend.start(request -> ScriptedResponse.ok("ok").thenClose());
        gateway = transport.start(Gateway.builder().router(new RoundRobinTestRouter(working.port())),
                ConnectorSettings.ONE_LOOP);

        try (RawHttpClient http = new RawHttpClient(gateway.port())) {
            for (int i = 0; i < 10; i++) {
                assertThat(http.send("GET /r" + i + " HTTP/1.1\r\nHost: h\r\n\r\n").read().status()).isEqualTo(200);
            }
        }
        assertThat(working.requests()).hasSize(10);
    }
}
