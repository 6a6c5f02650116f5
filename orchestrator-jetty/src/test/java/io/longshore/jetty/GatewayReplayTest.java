package io.longshore.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the gateway can send again, and what it reports when a client or replica goes away. */
class GatewayReplayTest {
    private ScriptedBackend failing;
    private ScriptedBackend working;
    private Gateway gateway;

    @AfterEach
    void stop() throws IOException {
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
        failing = new ScriptedBackend((request, out) -> {
            out.write("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\n\r\ndown".getBytes(StandardCharsets.US_ASCII));
            return true;
        });
        working = ScriptedBackend.answering("stored");
        RoundRobinTestRouter router = new RoundRobinTestRouter(failing.port(), working.port());
        gateway = Gateway.builder().port(0).adminEnabled(false).ioThreads(1).router(router).build().start();
        String body = "{\"doc\":\"" + "d".repeat(4_000) + "\"}";

        try (RawHttp http = new RawHttp(gateway.port())) {
            RawHttp.Response response = http.send("PUT /docs/1 HTTP/1.1\r\nHost: h\r\nContent-Length: " + body.length()
                    + "\r\n\r\n" + body).read();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body).isEqualTo("stored");
        }
        assertThat(failing.received()).extracting(ScriptedBackend.Received::body).containsExactly(body);
        assertThat(working.received()).extracting(ScriptedBackend.Received::body).containsExactly(body);
        assertThat(router.outcomes()).containsExactly("replica-" + failing.port() + "=503",
                "replica-" + working.port() + "=200");
    }

    @Test
    void reportsTheLeaseCancelledWhenTheClientLeavesBeforeTheAnswer() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        working = ScriptedBackend.holding(release, "late");
        RoundRobinTestRouter router = new RoundRobinTestRouter(working.port());
        gateway = Gateway.builder().port(0).adminEnabled(false).router(router).build().start();

        try (RawHttp http = new RawHttp(gateway.port())) {
            http.send("GET /slow HTTP/1.1\r\nHost: h\r\n\r\n");
            await().atMost(Duration.ofSeconds(5)).until(() -> working.received().size() == 1);
        }

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(router.outcomes()).containsExactly("replica-" + working.port() + "=CANCELLED"));
        release.countDown();
        assertThat(router.leases).allSatisfy(lease -> assertThat(lease.reports.get()).isEqualTo(1));
        assertThat(router.strayReports).hasValue(0);
    }

    @Test
    void aReplicaThatClosesIdleConnectionsCostsNoRequest() throws Exception {
        working = new ScriptedBackend((request, out) -> {
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
            return false; // closes without saying so, as a keep-alive timeout does
        });
        gateway = Gateway.builder().port(0).adminEnabled(false).ioThreads(1)
                .router(new RoundRobinTestRouter(working.port())).build().start();

        try (RawHttp http = new RawHttp(gateway.port())) {
            for (int i = 0; i < 10; i++) {
                assertThat(http.send("GET /r" + i + " HTTP/1.1\r\nHost: h\r\n\r\n").read().status()).isEqualTo(200);
            }
        }
        assertThat(working.received()).hasSize(10);
    }
}
