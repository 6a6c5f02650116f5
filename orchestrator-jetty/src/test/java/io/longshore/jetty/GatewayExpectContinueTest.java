package io.longshore.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.longshore.testkit.RawHttpClient;
import io.longshore.testkit.ScriptedBackend;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code Expect: 100-continue} (RFC 9110 10.1.1): the gateway tells a client that waits for it
 * to send its body, and keeps the expectation to itself; any other expectation gets 417.
 */
@ParameterizedClass
@EnumSource(Transport.class)
class GatewayExpectContinueTest {
    private static final String STORED = "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nstored";

    @Parameter
    Transport transport;
    private ScriptedBackend backend;
    private RecordingReplica recording;
    private TestGateway gateway;

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (backend != null) {
            backend.close();
        }
        if (recording != null) {
            recording.close();
        }
    }

    private void start() {
        backend = ScriptedBackend.answering("stored");
        gateway = transport.start(Gateway.builder().router(new RoundRobinTestRouter(backend.port())),
                ConnectorSettings.ONE_LOOP);
    }

    /**
     * {@code Expect} is a list, whose empty elements a recipient must accept and ignore (RFC 9110
     * 5.6.1): a client that writes {@code 100-continue,} waits for its {@code 100 Continue} as
     * one that writes {@code 100-continue} does.
     */
    @ParameterizedTest
    @ValueSource(strings = {"100-continue,", ", 100-continue", "100-CONTINUE , ,"})
    void aListWithEmptyElementsIsTakenAs100Continue(String expect) throws Exception {
        start();

        try (RawHttpClient http = new RawHttpClient(gateway.port())) {
            http.send("PUT /doc HTTP/1.1\r\nHost: h\r\nExpect: " + expect + "\r\nContent-Length: 5\r\n\r\n");
            RawHttpClient.Response interim = http.read();
            RawHttpClient.Response response = http.send("hello").read();

            assertThat(interim.status()).isEqualTo(100);
            assertThat(response.body()).isEqualTo("stored");
        }
        assertThat(backend.requests()).hasSize(1);
        assertThat(backend.requests().get(0).body()).isEqualTo("hello");
        assertThat(backend.requests().get(0).header("Expect")).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"100-continue, magic", "magic,"})
    void aListWithAnotherExpectationGets417(String expect) throws Exception {
        start();

        String raw = TestSupport.exchangeToClose(gateway.port(),
                "PUT /doc HTTP/1.1\r\nHost: h\r\nExpect: " + expect + "\r\nContent-Length: 5\r\n\r\nhello");

        assertThat(raw).startsWith("HTTP/1.1 417 ");
        assertThat(backend.requests()).isEmpty();
    }

    /**
     * A client that waits for {@code 100 Continue} before it sends its body gets it once, however
     * many pieces its body then comes in: the replica gets each piece as it comes (the first is
     * in before the client sends the rest), and the next answer the client reads is the
     * replica's, not another {@code 100}.
     */
    @Test
    void aClientThatWaitsFor100ContinueGetsItOnceThenTheReplicasAnswer() throws Exception {
        recording = new RecordingReplica(STORED, "\r\n0\r\n\r\n");
        gateway = transport.start(Gateway.builder().router(new RoundRobinTestRouter(recording.port())),
                ConnectorSettings.ONE_LOOP);

        try (RawHttpClient http = new RawHttpClient(gateway.port())) {
            http.send("PUT /doc HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nTransfer-Encoding: chunked\r\n\r\n");
            RawHttpClient.Response interim = http.read();
            http.send("5\r\nhello\r\n");
            await("the replica has the body's first piece").atMost(Duration.ofSeconds(10))
                    .until(() -> recording.allText().contains("hello"));
            RawHttpClient.Response response = http.send("6\r\n world\r\n0\r\n\r\n").read();

            assertThat(interim.statusLine()).isEqualTo("HTTP/1.1 100 Continue");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("stored");
        }
        assertThat(recording.allText()).contains(" world").doesNotContainIgnoringCase("Expect");
    }

    /**
     * The {@code 100 Continue} says the request has reached a replica: when none can take it, the
     * client's first answer is the gateway's final one, and its body is never asked for.
     */
    @Test
    void noReplicaToTakeTheRequestMeansNo100Continue() throws Exception {
        gateway = transport.start(Gateway.builder().router(new RoundRobinTestRouter(TestSupport.closedPort())),
                ConnectorSettings.ONE_LOOP);

        try (RawHttpClient http = new RawHttpClient(gateway.port())) {
            RawHttpClient.Response response = http.send(
                    "PUT /doc HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(502);
        }
    }

    /**
     * An HTTP/1.0 client knows no {@code 100 Continue} (RFC 9110 10.1.1, 15.2): one that sends its
     * body after its head, once the head has reached the replica, reads the final answer first.
     * Embedded, the host server (Jetty 12.1) sends its own {@code 100 Continue} to such a client
     * when the handler reads the body, which the handler cannot stop.
     */
    @Test
    void anHttp10ClientIsNotSent100Continue() throws Exception {
        assumeTrue(transport == Transport.STANDALONE, "Jetty sends 100 Continue to an HTTP/1.0 client too");
        recording = new RecordingReplica(STORED, "hello");
        gateway = transport.start(Gateway.builder().router(new RoundRobinTestRouter(recording.port())),
                ConnectorSettings.ONE_LOOP);

        try (RawHttpClient http = new RawHttpClient(gateway.port())) {
            http.send("PUT /doc HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
            await("the replica has the head").atMost(Duration.ofSeconds(10))
                    .until(() -> recording.allText().contains("\r\n\r\n"));
            RawHttpClient.Response response = http.send("hello").read();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("stored");
        }
    }
}
