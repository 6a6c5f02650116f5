package io.longshore.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import io.longshore.testkit.RawHttpClient;
import io.longshore.testkit.ScriptedBackend;
import org.junit.jupiter.api.AfterEach;
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
}
