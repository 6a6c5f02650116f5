package io.longshore.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.longshore.testkit.RawHttpClient;
import io.longshore.testkit.ScriptedBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The gateway's own answers are framed and persist as a replica's relayed answers are: an
 * HTTP/1.0 client that asked to keep its connection is told it is kept, and a HEAD request gets
 * no body, whether the gateway answers it after reading it whole or refuses its head.
 */
@ParameterizedClass
@EnumSource(Transport.class)
class GatewayOwnAnswerFramingTest {
    @Parameter
    Transport transport;
    private ScriptedBackend replica;
    private TestGateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (replica != null) {
            replica.close();
        }
    }

    private void start() {
        replica = ScriptedBackend.answering("routed");
        gateway = transport.start(Gateway.builder().route("/api", "api", new RoundRobinTestRouter(replica.port())),
                ConnectorSettings.ONE_LOOP);
    }

    /**
     * An HTTP/1.0 client takes a response without {@code Connection: keep-alive} as the last on
     * its connection (RFC 9112 9.3): one that reads such a body to the end of the connection
     * would wait for a close that a kept connection never brings.
     */
    @Test
    void anHttp10ClientThatAskedForKeepAliveIsToldItsConnectionIsKept() throws Exception {
        start();

        try (RawHttpClient http = new RawHttpClient(gateway.port())) {
            RawHttpClient.Response notFound = http.send("GET /other HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
            RawHttpClient.Response headNotFound = http.send("HEAD /other HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
                    .read(true);
            RawHttpClient.Response routed = http.send("GET /api/x HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();

            assertThat(notFound.status()).isEqualTo(404);
            assertThat(notFound.header("Connection")).isEqualTo("keep-alive");
            assertThat(headNotFound.status()).isEqualTo(404);
            assertThat(headNotFound.header("Connection")).isEqualTo("keep-alive");
            assertThat(routed.body()).isEqualTo("routed");
            assertThat(routed.header("Connection")).isEqualTo("keep-alive");
        }
    }

    /**
     * A HEAD request the gateway refuses once it has read its request line gets the refusal's
     * head alone: its {@code Content-Length} says how long a GET's body would be, and nothing
     * follows (RFC 9110 9.3.2).
     */
    @ParameterizedTest
    @ValueSource(strings = {
            "HEAD /api HTTP/1.1\r\nHost: h\r\nExpect: something\r\n\r\n",
            "HEAD /api HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
            "HEAD /api/../admin HTTP/1.1\r\nHost: h\r\n\r\n",
    })
    void aHeadRequestWhoseHeadIsRefusedGetsNoBody(String request) throws Exception {
        start();

        assertRefusedWithoutBody(request);
    }

    /**
     * The same for the heads the standalone parser refuses for a bad field. Embedded, the host
     * server (Jetty) refuses those itself and sends its error page after the head.
     */
    @ParameterizedTest
    @ValueSource(strings = {
            "HEAD /api HTTP/1.1\r\nHost: a b\r\n\r\n",
            "HEAD /api HTTP/1.1\r\nHost: h\r\nContent-Length: 1, 2\r\n\r\n",
    })
    void aHeadRequestWithABadFieldGetsNoBodyFromTheEngine(String request) throws Exception {
        assumeTrue(transport == Transport.STANDALONE, "the host server answers a bad field itself");
        start();

        assertRefusedWithoutBody(request);
    }

    private void assertRefusedWithoutBody(String request) throws Exception {
        String raw = TestSupport.exchangeToClose(gateway.port(), request);

        assertThat(raw).matches("(?s)HTTP/1\\.1 (400|417|501) .*\r\nContent-Length: [1-9][0-9]*\r\n.*")
                .containsIgnoringCase("Connection: close\r\n").endsWith("\r\n\r\n");
        assertThat(replica.requests()).isEmpty();
    }
}
