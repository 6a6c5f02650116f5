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
 * in origin form (RFC 9112 3.2.4), and the target's authority, not the {@code Host} field, is the
 * host the request names (RFC 9112 3.2.2): for the router, and as {@code X-Forwarded-Host}.
 */
@ParameterizedClass
@EnumSource(Transport.class)
class GatewayAbsoluteFormTest {
    @Parameter
    Transport transport;
    private ScriptedBackend backend;
    private TestGateway gateway;
    private RoundRobinTestRouter router;

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
        router = new RoundRobinTestRouter(backend.port());
        gateway = transport.start(Gateway.builder().router(router),
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

    /**
     * A server that receives an absolute-form target must ignore the {@code Host} field and take
     * the target's authority (RFC 9112 3.2.2): a strategy that hashes by {@code Host} routes by
     * it, and the replica hears of it as {@code X-Forwarded-Host}.
     */
    @Test
    void theTargetsAuthorityIsTheHostOverTheHostField() throws Exception {
        assumeTrue(transport == Transport.STANDALONE, "the host server refuses a Host naming another host");
        start();

        RecordedRequest received = forwarded("GET http://a.example:8080/p HTTP/1.1\r\nHost: b.example\r\n\r\n");

        assertThat(router.hosts).containsExactly("a.example:8080 a.example:8080");
        assertThat(received.header("X-Forwarded-Host")).isEqualTo("a.example:8080");
    }

    /** Embedded, the host server (Jetty) refuses that request itself: nothing routes by the other host. */
    @Test
    void theHostServerRefusesATargetNamingAnotherHostThanTheHostField() throws Exception {
        assumeTrue(transport == Transport.EMBEDDED, "the standalone parser takes the target's authority");
        start();

        String raw = TestSupport.exchangeToClose(gateway.port(),
                "GET http://a.example:8080/p HTTP/1.1\r\nHost: b.example\r\nConnection: close\r\n\r\n");

        assertThat(raw).startsWith("HTTP/1.1 400 ");
        assertThat(router.hosts).isEmpty();
        assertThat(backend.requests()).isEmpty();
    }

    /** An HTTP/1.0 request may come without {@code Host}: its absolute-form target still names a host. */
    @Test
    void anHttp10RequestWithoutAHostFieldNamesTheTargetsAuthority() throws Exception {
        start();

        RecordedRequest received = forwarded("GET http://a.example:8080/p HTTP/1.0\r\n\r\n");

        assertThat(router.hosts).containsExactly("a.example:8080 a.example:8080");
        assertThat(received.header("X-Forwarded-Host")).isEqualTo("a.example:8080");
    }

    /** Without either, it names no host (embedded too, where Jetty fills in the server's own address). */
    @Test
    void anHttp10RequestInOriginFormWithoutAHostFieldNamesNoHost() throws Exception {
        start();

        RecordedRequest received = forwarded("GET /p HTTP/1.0\r\n\r\n");

        assertThat(router.hosts).containsExactly("null null");
        assertThat(received.header("X-Forwarded-Host")).isNull();
    }
}
