package io.longshore.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import io.longshore.testkit.RawHttpClient;
import io.longshore.testkit.ScriptedBackend;
import io.longshore.testkit.ScriptedResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a replica that breaks the rules of RFC 9110/9112 in its response gets through the
 * gateway, byte for byte: the client sees well-formed framing, and a replica connection whose
 * framing can no longer be trusted is not given to the next request. The replica answers the
 * first request on a connection as scripted and every later one with {@code 200 ok}.
 */
@ParameterizedClass
@EnumSource(Transport.class)
class GatewayReplicaResponseTest {
    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

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

    /** A replica that answers {@code /first} with {@code first}, anything else with {@link #OK}. */
    private void start(String first) {
        backend = ScriptedBackend.start(request -> ScriptedResponse.raw(request.target().equals("/first") ? first : OK));
        gateway = transport.start(Gateway.builder().router(new RoundRobinTestRouter(backend.port())),
                ConnectorSettings.ONE_LOOP);
    }

    @Test
    void a204GoesOnWithoutTheContentLengthTheReplicaWronglyGaveIt() throws Exception {
        start("HTTP/1.1 204 No Content\r\nContent-Length: 5\r\nX-A: 1\r\n\r\n");

        String raw = TestSupport.exchangeToClose(gateway.port(), "GET /first HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");

        assertThat(raw).startsWith("HTTP/1.1 204 ").contains("X-A: 1\r\n").doesNotContainIgnoringCase("Content-Length")
                .endsWith("\r\n\r\n");
    }

    @Test
    void anInterimResponseGoesOnWithoutTheContentLengthTheReplicaWronglyGaveIt() throws Exception {
        start("HTTP/1.1 103 Early Hints\r\nLink: </a>\r\nContent-Length: 5\r\n\r\n" + OK);

        String raw = TestSupport.exchangeToClose(gateway.port(), "GET /first HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");

        String interim = raw.substring(0, raw.indexOf("\r\n\r\n") + 4);
        assertThat(interim).startsWith("HTTP/1.1 103 Early Hints\r\n").contains("Link: </a>\r\n")
                .doesNotContainIgnoringCase("Content-Length");
        assertThat(raw.substring(interim.length())).startsWith("HTTP/1.1 200 OK\r\n").contains("Content-Length: 2\r\n")
                .endsWith("\r\n\r\nok");
    }

    /**
     * A replica that sends more than its response said (a second response smuggled after the
     * first) does not get it read as the answer to the next request: the standalone engine
     * closes the connection, Jetty's client discards the bytes it read with the response.
     */
    @Test
    void bytesAfterACompleteResponseNeverAnswerTheNextRequest() throws Exception {
        start(OK + "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nEVIL");

        try (RawHttpClient http = new RawHttpClient(gateway.port())) {
            assertThat(http.send("GET /first HTTP/1.1\r\nHost: h\r\n\r\n").read().body()).isEqualTo("ok");
            assertThat(http.send("GET /second HTTP/1.1\r\nHost: h\r\n\r\n").read().body()).isEqualTo("ok");
        }
        if (transport == Transport.STANDALONE) {
            assertThat(backend.connections()).isEqualTo(2);
        }
    }

    /**
     * A response head the gateway cannot trust is answered 502 and its connection closed, so the
     * next request goes on a new one: a version other than HTTP/1.x, a status code not of three
     * digits, a control character in the reason phrase, a folded field line, a field name followed
     * by whitespace, lengths that disagree.
     */
    @ParameterizedTest
    @ValueSource(strings = {
            "HTTP/2.0 200 OK\r\nContent-Length: 2\r\n\r\nok",
            "HTTP/1.1 1000 X\r\nContent-Length: 2\r\n\r\nok",
            "HTTP/1.1 99 X\r\nContent-Length: 2\r\n\r\nok",
            "HTTP/1.1 200 O\u0001K\r\nContent-Length: 2\r\n\r\nok",
            "HTTP/1.1 200 OK\r\nX-A: a\r\n b\r\nContent-Length: 2\r\n\r\nok",
            "HTTP/1.1 200 OK\r\nContent-Length : 2\r\n\r\nok",
            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok",
    })
    void aMalformedResponseHeadIsAnswered502AndItsConnectionNotReused(String first) throws Exception {
        start(first);

        try (RawHttpClient http = new RawHttpClient(gateway.port())) {
            assertThat(http.send("GET /first HTTP/1.1\r\nHost: h\r\n\r\n").read().status()).isEqualTo(502);
            assertThat(http.send("GET /second HTTP/1.1\r\nHost: h\r\n\r\n").read().body()).isEqualTo("ok");
        }
        assertThat(backend.connections()).isEqualTo(2);
    }

    /** Whether the replica's connection is reused after a response, by what the response says of it (RFC 9112 9.3). */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "HTTP/1.1 200 OK\\r\\nConnection: close\\r\\nContent-Length: 2\\r\\n\\r\\nok | 2",
            "HTTP/1.0 200 OK\\r\\nContent-Length: 2\\r\\n\\r\\nok | 2",
            "HTTP/1.0 200 OK\\r\\nConnection: keep-alive\\r\\nContent-Length: 2\\r\\n\\r\\nok | 1",
    })
    void theReplicasConnectionIsReusedOnlyWhenItsResponseLetsIt(String first, int connections) throws Exception {
        start(first.replace("\\r\\n", "\r\n")); // CSV records end at a real line end

        try (RawHttpClient http = new RawHttpClient(gateway.port())) {
            assertThat(http.send("GET /first HTTP/1.1\r\nHost: h\r\n\r\n").read().body()).isEqualTo("ok");
            assertThat(http.send("GET /second HTTP/1.1\r\nHost: h\r\n\r\n").read().body()).isEqualTo("ok");
        }
        assertThat(backend.connections()).isEqualTo(connections);
    }
}
