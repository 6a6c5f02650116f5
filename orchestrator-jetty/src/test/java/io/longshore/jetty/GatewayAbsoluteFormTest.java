package io.longshore.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.longshore.testkit.RawHttpClient;
import io.longshore.testkit.RecordedRequest;
import io.longshore.testkit.ScriptedBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A request whose target is in absolute form ({@code GET http://host/path}), as clients send it
 * to a proxy: the gateway is the last proxy before the replica, so the replica gets the target
 * in origin form (RFC 9112 3.2.4).
 */
@ParameterizedClass
@EnumSource(Transport.class)
class GatewayAbsoluteFormTest {
    @Parameter
    Transport transport;
    private ScriptedBackend backend;
    private TestGateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    private void start() {
        backend = ScriptedBackend.answering("ok");
        gateway = transport.start(Gateway.builder().router(new RoundRobinTestRouter(backend.port())),
                ConnectorSettings.ONE_LOOP);
    }

    private RecordedRequest forwarded(String request) throws Exception {
        try (RawHttpClient http = new RawHttpClient(gateway.port())) {
            assertThat(http.send(request).read().body()).isEqualTo("ok");
        }
        assertThat(backend.requests()).hasSize(1);
        return backend.requests().get(0);
    }

    /**
     * {@code OPTIONS http://host:port}, with neither path nor query, asks about the server as a
     * whole: the last proxy must send it on as {@code OPTIONS *} (RFC 9112 3.2.4), not as a
     * question about the resource {@code /}. Embedded, the host server (Jetty) has made the empty
     * path {@code /} before the handler sees the request, so the two cannot be told apart there.
     */
    @Test
    void anOptionsRequestForTheWholeServerGoesOnInAsteriskForm() throws Exception {
        assumeTrue(transport == Transport.STANDALONE, "Jetty's parser turns the empty path into /");
        start();

        RecordedRequest received = forwarded("OPTIONS http://h:8080 HTTP/1.1\r\nHost: h:8080\r\n\r\n");

        assertThat(received.requestLine()).isEqualTo("OPTIONS * HTTP/1.1");
    }

    /** Only an OPTIONS with an empty path and no query names the server: the rest go on with a path. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "OPTIONS http://h:8080/ | OPTIONS /",
            "OPTIONS http://h:8080?q=1 | OPTIONS /?q=1",
            "GET http://h:8080 | GET /",
            "OPTIONS * | OPTIONS *",
    })
    void otherTargetsGoOnInOriginForm(String sent, String expected) throws Exception {
        start();

        RecordedRequest received = forwarded(sent + " HTTP/1.1\r\nHost: h:8080\r\n\r\n");

        assertThat(received.requestLine()).isEqualTo(expected + " HTTP/1.1");
    }
}
