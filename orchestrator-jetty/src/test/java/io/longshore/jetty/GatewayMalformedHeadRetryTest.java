package io.longshore.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.longshore.testkit.RawHttpClient;
import io.longshore.testkit.RecordedRequest;
import io.longshore.testkit.ScriptedBackend;
import io.longshore.testkit.ScriptedResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A response head the gateway cannot trust is a reset of its replica before any response byte
 * reached the client, in both transports alike: the replica's lease is failed as {@code RESET},
 * its connection closed, and the request goes once to another replica when its method is
 * idempotent and the retry budget allows, else the client gets 502. Two replicas: a bad one,
 * which the router picks whenever a retry has not excluded it, and a good one answering
 * {@code 200 good}.
 */
@ParameterizedClass
@EnumSource(Transport.class)
class GatewayMalformedHeadRetryTest {
    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

    @Parameter
    Transport transport;
    private ScriptedBackend bad;
    private ScriptedBackend good;
    private TestGateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (bad != null) {
            bad.close();
        }
        if (good != null) {
            good.close();
        }
    }

    /**
     * A GET gets the other replica's answer; a POST gets 502 and reaches no other replica. Every
     * request tries the bad replica first, each on a new connection.
     */
    @ParameterizedTest
    @ValueSource(strings = {
            "HTTP/1.1 99 X\r\nContent-Length: 2\r\n\r\nok",
            "HTTP/1.1 600 X\r\nContent-Length: 2\r\n\r\nok",
            "HTTP/2.0 200 OK\r\nContent-Length: 2\r\n\r\nok",
            "HTTP/1.1 200 OK\r\nX-A\r\nContent-Length: 2\r\n\r\nok",
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
    })
    void aGetGoesToAnotherReplicaAndAPostIsAnswered502(String head) throws Exception {
        RoundRobinTestRouter router = start(request -> ScriptedResponse.raw(head));

        try (RawHttpClient http = new RawHttpClient(gateway.port())) {
            RawHttpClient.Response get = http.send("GET /g HTTP/1.1\r\nHost: h\r\n\r\n").read();
            RawHttpClient.Response post = http.send(
                    "POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 7\r\n\r\npayload").read();

            assertThat(get.status()).isEqualTo(200);
            assertThat(get.body()).isEqualTo("good");
            assertThat(post.status()).isEqualTo(502);
        }
        assertThat(bad.requests()).extracting(RecordedRequest::method).containsExactly("GET", "POST");
        assertThat(good.requests()).extracting(RecordedRequest::method).containsExactly("GET");
        assertThat(bad.connections()).isEqualTo(2);
        String reset = "replica-" + bad.port() + "=RESET";
        // a lease is reported when the replica's exchange completes, which may be just after the client has its answer
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(router.outcomes())
                .containsExactly(reset, "replica-" + good.port() + "=200", reset));
    }

    /**
     * A malformed head on a pooled connection is the replica's answer, not the sign of a
     * connection it had closed: the request is not sent to it again, but once to another replica.
     */
    @ParameterizedTest
    @ValueSource(strings = {"HTTP/1.1 99 X\r\nContent-Length: 2\r\n\r\nok", "NOT HTTP\r\n\r\n"})
    void onAPooledConnectionItIsNotTakenForAStaleConnection(String head) throws Exception {
        RoundRobinTestRouter router = start(request -> ScriptedResponse.raw(request.sequence() == 1 ? OK : head));

        try (RawHttpClient http = new RawHttpClient(gateway.port())) {
            assertThat(http.send("GET /1 HTTP/1.1\r\nHost: h\r\n\r\n").read().body()).isEqualTo("ok");
            assertThat(http.send("GET /2 HTTP/1.1\r\nHost: h\r\n\r\n").read().body()).isEqualTo("good");
        }
        assertThat(bad.requests()).extracting(RecordedRequest::target).containsExactly("/1", "/2");
        assertThat(bad.connections()).isEqualTo(1);
        String replica = "replica-" + bad.port();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(router.outcomes())
                .containsExactly(replica + "=200", replica + "=RESET", "replica-" + good.port() + "=200"));
    }

    /**
     * The contrast: a pooled connection the replica resets or closes with nothing sent back is one
     * it had closed, not a bad answer. The request goes again once on a new connection to the same
     * replica, which answers, and its lease sees no failure.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aPooledConnectionEndedWithNothingSentBackIsStillAStaleConnection(boolean reset) throws Exception {
        RoundRobinTestRouter router = start(request -> request.sequence() != 2 ? ScriptedResponse.raw(OK)
                : reset ? ScriptedResponse.reset() : ScriptedResponse.raw("").thenClose());

        try (RawHttpClient http = new RawHttpClient(gateway.port())) {
            assertThat(http.send("GET /1 HTTP/1.1\r\nHost: h\r\n\r\n").read().body()).isEqualTo("ok");
            assertThat(http.send("GET /2 HTTP/1.1\r\nHost: h\r\n\r\n").read().body()).isEqualTo("ok");
        }
        assertThat(bad.requests()).extracting(RecordedRequest::target).containsExactly("/1", "/2", "/2");
        assertThat(bad.connections()).isEqualTo(2);
        assertThat(good.requests()).isEmpty();
        String replica = "replica-" + bad.port();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(router.outcomes())
                .containsExactly(replica + "=200", replica + "=200"));
    }

    /** Starts the bad replica answering as {@code script} says, the good one, and the gateway. */
    private RoundRobinTestRouter start(ScriptedBackend.Dispatcher script) {
        bad = ScriptedBackend.start(script);
        good = ScriptedBackend.answering("good");
        RoundRobinTestRouter router = new RoundRobinTestRouter(bad.port(), good.port()) {
            @Override
            TestBackend pick(List<TestBackend> candidates) {
                return candidates.get(0); // the bad replica, unless a retry excluded it
            }
        };
        gateway = transport.start(Gateway.builder().router(router), ConnectorSettings.ONE_LOOP);
        return router;
    }
}
