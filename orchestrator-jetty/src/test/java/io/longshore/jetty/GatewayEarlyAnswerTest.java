package io.longshore.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.longshore.api.Endpoint;
import io.longshore.jetty.GatewayRetryAfterEjectionTest.FirstChoiceRouter;
import io.longshore.testkit.RawHttpClient;
import io.longshore.testkit.ScriptedBackend;
import io.longshore.testkit.ScriptedResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A replica that answers before it has the whole request (a 503 before reading a PUT's body)
 * still expects the rest of that body on its connection: the engine must not give the
 * connection to another request, or the replica reads that request as the old body. The
 * request itself goes on to another replica (a 503 to an idempotent method, its body whole).
 */
@ParameterizedClass
@EnumSource(Transport.class)
class GatewayEarlyAnswerTest {
    @Parameter
    Transport transport;
    private RecordingReplica early;
    private ScriptedBackend other;
    private TestGateway gateway;

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (other != null) {
            other.close();
        }
        if (early != null) {
            early.close();
        }
    }

    @Test
    void aConnectionWhoseReplicaAnsweredBeforeTheWholeBodyIsNotReused() throws Exception {
        early = new RecordingReplica("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n");
        other = ScriptedBackend.start(request -> ScriptedResponse.ok("whole: " + request.body()));
        gateway = transport.start(Gateway.builder()
                .router(new FirstChoiceRouter(early.endpoint(), Endpoint.loopback(other.port())))
                .maxRetryBackoff(Duration.ZERO));

        try (RawHttpClient http = new RawHttpClient(gateway.port())) {
            http.send("PUT /p HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n12345");
            await().atMost(Duration.ofSeconds(10)).until(() -> early.allText().endsWith("12345"));
            http.send("67890");
            RawHttpClient.Response response = http.read();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("whole: 1234567890");
        }
        assertThat(early.connections()).singleElement().satisfies(connection -> {
            await("the gateway closes the connection the replica still expects 5 body bytes on")
                    .atMost(Duration.ofSeconds(5)).until(connection::closedByGateway);
            assertThat(connection.text()).endsWith("\r\n\r\n12345");
        });
    }

    /**
     * A replica that answers (401) before the client has sent its whole body, and keeps its own
     * connection open, has its answer relayed with {@code Connection: close}: the gateway closes
     * the client's connection after it rather than read the rest of the body as a next request,
     * and says so (RFC 9112 9.6), on both transports; the replica's connection is not reused.
     */
    @Test
    void anAnswerBeforeTheWholeBodyTellsTheClientItsConnectionCloses() throws Exception {
        early = new RecordingReplica("HTTP/1.1 401 Unauthorized\r\nContent-Length: 4\r\n\r\nnope");
        gateway = transport.start(Gateway.builder().router(new RoundRobinTestRouter(early.port())));

        try (RawHttpClient http = new RawHttpClient(gateway.port())) {
            RawHttpClient.Response response = http.send("POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n12345")
                    .read();

            assertThat(response.status()).isEqualTo(401);
            assertThat(response.body()).isEqualTo("nope");
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(http.isClosedByPeer()).isTrue();
        }
        assertThat(early.connections()).singleElement().satisfies(connection -> await()
                .atMost(Duration.ofSeconds(5)).until(connection::closedByGateway));
    }
}
