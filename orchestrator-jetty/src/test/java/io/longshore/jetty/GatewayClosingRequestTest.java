package io.longshore.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import io.longshore.testkit.RecordedRequest;
import io.longshore.testkit.ScriptedBackend;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a client sends after a request that ends its connection — one that says
 * {@code Connection: close}, an HTTP/1.0 one without keep-alive, or one the gateway refuses —
 * reaches no replica: the gateway answers that request alone and closes, so bytes behind it are
 * never read as a request of their own.
 */
@ParameterizedClass
@EnumSource(Transport.class)
class GatewayClosingRequestTest {
    private static final String BEHIND = "GET /behind HTTP/1.1\r\nHost: h\r\n\r\n";
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

    static Stream<Arguments> endingRequests() {
        return Stream.of(
                Arguments.of("GET /a HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n", 200, List.of("/a")),
                Arguments.of("GET /a HTTP/1.0\r\n\r\n", 200, List.of("/a")),
                Arguments.of("GET /a HTTP/1.1\r\nHost: h\r\nX-Bad : y\r\n\r\n", 400, List.of()),
                Arguments.of("PUT /a HTTP/1.1\r\nHost: h\r\nExpect: x\r\nContent-Length: 1\r\n\r\nb", 417, List.of()));
    }

    @ParameterizedTest
    @MethodSource("endingRequests")
    void requestsBehindOneThatEndsTheConnectionReachNoReplica(String request, int status, List<String> forwarded)
            throws Exception {
        replica = ScriptedBackend.answering("ok");
        gateway = transport.start(Gateway.builder().router(new RoundRobinTestRouter(replica.port())),
                ConnectorSettings.ONE_LOOP);

        String raw = TestSupport.exchangeToClose(gateway.port(), request + BEHIND);

        assertThat(raw).startsWith("HTTP/1.1 " + status + " ").doesNotContain("/behind");
        assertThat(raw.split("HTTP/1\\.1 \\d{3} ", -1)).as("one response").hasSize(2);
        assertThat(replica.requests()).extracting(RecordedRequest::target)
                .containsExactlyElementsOf(forwarded);
    }
}
