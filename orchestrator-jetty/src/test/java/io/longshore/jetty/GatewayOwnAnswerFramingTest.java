package io.longshore.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import io.longshore.testkit.RawHttpClient;
import io.longshore.testkit.ScriptedBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The gateway's own answers persist as a replica's relayed answers do: an HTTP/1.0 client that
 * asked to keep its connection is told it is kept.
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
}
