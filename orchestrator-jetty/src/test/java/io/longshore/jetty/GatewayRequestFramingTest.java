package io.longshore.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import io.longshore.testkit.RawHttpClient;
import io.longshore.testkit.RecordedRequest;
import io.longshore.testkit.ScriptedBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A request's body reaches the replica framed by the one length the gateway read it by, whatever
 * the client's {@code Connection} names and however it repeats the value: a client that names
 * {@code Content-Length} in {@code Connection} (hop-by-hop, so dropped) would otherwise have the
 * replica read its body as a second request on a connection other clients share.
 */
@ParameterizedClass
@EnumSource(Transport.class)
class GatewayRequestFramingTest {
    private static final String SMUGGLED = "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n";
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

    @ParameterizedTest
    @ValueSource(strings = {
            "POST /p HTTP/1.1\r\nHost: x\r\nConnection: Content-Length\r\nContent-Length: %d\r\n\r\n",
            "POST /p HTTP/1.0\r\nConnection: keep-alive, Content-Length\r\nContent-Length: %d\r\n\r\n",
            "POST /p HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, Content-Length\r\nUpgrade: x\r\nContent-Length: %d\r\n\r\n"})
    void aLengthTheConnectionFieldNamesStillFramesTheBody(String head) throws Exception {
        start();

        assertThat(send(String.format(head, SMUGGLED.length()) + SMUGGLED)).isEqualTo(200);

        assertThat(replica.requests()).extracting(RecordedRequest::target).containsExactly("/p", "/next");
        RecordedRequest post = replica.requests().get(0);
        assertThat(post.body()).isEqualTo(SMUGGLED);
        assertThat(post.headers("Content-Length")).containsExactly(Integer.toString(SMUGGLED.length()));
    }

    /** Standalone, the repeated value goes on once; an embedded gateway's host server (Jetty) refuses it. */
    @ParameterizedTest
    @ValueSource(strings = {"Content-Length: %1$d, %1$d\r\n", "Content-Length: %1$d\r\ncontent-length: %1$d\r\n"})
    void aRepeatedLengthGoesOnOnceOrIsRefused(String fields) throws Exception {
        start();

        int status = send("POST /p HTTP/1.1\r\nHost: x\r\n" + String.format(fields, SMUGGLED.length()) + "\r\n"
                + SMUGGLED);

        if (transport == Transport.STANDALONE) {
            assertThat(status).isEqualTo(200);
            assertThat(replica.requests()).extracting(RecordedRequest::target).containsExactly("/p", "/next");
            assertThat(replica.requests().get(0).headers("Content-Length"))
                    .containsExactly(Integer.toString(SMUGGLED.length()));
            assertThat(replica.requests().get(0).body()).isEqualTo(SMUGGLED);
        } else {
            assertThat(status).isEqualTo(400);
            assertThat(replica.requests()).extracting(RecordedRequest::target).containsExactly("/next");
        }
    }

    private void start() {
        replica = ScriptedBackend.answering("ok");
        gateway = transport.start(Gateway.builder().router(new RoundRobinTestRouter(replica.port())),
                ConnectorSettings.ONE_LOOP);
    }

    /** Sends {@code request} on a connection of its own, then {@code GET /next} on another; the first's status. */
    private int send(String request) throws Exception {
        int status;
        try (RawHttpClient http = new RawHttpClient(gateway.port())) {
            status = http.send(request).read().status();
        }
        try (RawHttpClient next = new RawHttpClient(gateway.port())) {
            assertThat(next.send("GET /next HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(200);
        }
        return status;
    }
}
