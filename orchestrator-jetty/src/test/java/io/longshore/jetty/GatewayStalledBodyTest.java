package io.longshore.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.longshore.testkit.RawHttpClient;
import io.longshore.testkit.ScriptedBackend;
import io.longshore.testkit.ScriptedResponse;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A client that pauses while it sends its body is bounded by the client idle timeout, not by the
 * replica's response timeout: the replica is silent then because the gateway has nothing more to
 * give it, which says nothing about the replica (standalone; embedded, the host's connector times
 * the client).
 */
class GatewayStalledBodyTest {
    private static final Duration RESPONSE_TIMEOUT = Duration.ofMillis(300);
    private final CountDownLatch release = new CountDownLatch(1);
    private ScriptedBackend uploads;
    private ScriptedBackend silent;
    private TestGateway gateway;

    @AfterEach
    void stop() {
        release.countDown();
        if (gateway != null) {
            gateway.close();
        }
        if (uploads != null) {
            uploads.close();
        }
        if (silent != null) {
            silent.close();
        }
    }

    @Test
    void aClientPausingMidBodyLongerThanTheResponseTimeoutButWithinItsIdleTimeoutIsServed() throws Exception {
        uploads = ScriptedBackend.start(request -> ScriptedResponse.ok("got " + request.body()));
        silent = ScriptedBackend.start(request -> {
            release.await();
            return ScriptedResponse.ok("late");
        });
        gateway = Transport.STANDALONE.start(Gateway.builder().responseTimeout(RESPONSE_TIMEOUT).retryBudget(0)
                .route("/silent", "silent", new RoundRobinTestRouter(silent.port()))
                .route("/", "uploads", new RoundRobinTestRouter(uploads.port())),
                ConnectorSettings.DEFAULTS.withClientIdleTimeout(Duration.ofSeconds(30)));

        try (RawHttpClient upload = new RawHttpClient(gateway.port())) {
            upload.send("POST /upload HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n01234");
            await().atMost(Duration.ofSeconds(10)).until(() -> uploads.connections() == 1);
            // the upload pauses; three response timeouts in a row pass meanwhile, each seen as a 504
            for (int i = 0; i < 3; i++) {
                try (RawHttpClient other = new RawHttpClient(gateway.port())) {
                    assertThat(other.send("GET /silent HTTP/1.1\r\nHost: h\r\n\r\n").read().status()).isEqualTo(504);
                }
            }

            RawHttpClient.Response response = upload.send("56789").read();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("got 0123456789");
        }
    }
}
