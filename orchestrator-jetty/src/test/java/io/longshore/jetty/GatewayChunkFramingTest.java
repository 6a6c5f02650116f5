package io.longshore.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.longshore.testkit.RawHttpClient;
import io.longshore.testkit.ScriptedBackend;
import io.longshore.testkit.ScriptedResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A request whose chunked framing is malformed gets 400, and no byte of the malformed line
 * reaches a replica: lenient chunk parsers (which skip whitespace, take junk after the size or
 * an unterminated quote) would read such a body differently from the gateway, the classic
 * request-smuggling set-up. The replica connection the request was going to is closed, never
 * pooled for the next request. Vectors: the chunk-size lines of published smuggling test
 * suites (whitespace after the size, junk without {@code ;}, {@code ;} without a name, an
 * unbalanced quote, bare LF and CR line ends, an overlong size).
 */
@ParameterizedClass
@EnumSource(Transport.class)
class GatewayChunkFramingTest {
    private static final String HEAD = "POST /upload HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n";
    private static final String FIRST_CHUNK = "5\r\nhello\r\n";
    @Parameter
    Transport transport;
    private RecordingReplica replica;
    private TestGateway gateway;

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (replica != null) {
            replica.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"1 \r\n", "1\t\r\n", "1x\r\n", "1 x\r\n", "1;\r\n", "1;=v\r\n",
            "1;a=\"b\r\n", "1;a=\"b\\\r\n", "1;a=\"b\"c\r\n", " 1\r\n", "0x1\r\n", "+1\r\n", "1\n", "1\rZ\r\n",
            "10000000000000000\r\n", "1;a b\r\n"})
    void aMalformedChunkSizeLineGets400AndNeverReachesTheReplica(String line) throws Exception {
        replica = new RecordingReplica();
        gateway = transport.start(Gateway.builder().router(new RoundRobinTestRouter(replica.port()))
                .responseTimeout(Duration.ofSeconds(5)), ConnectorSettings.ONE_LOOP);

        try (RawHttpClient http = new RawHttpClient(gateway.port())) {
            RawHttpClient.Response response = http.send(HEAD + FIRST_CHUNK + line + "Z\r\n0\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(400);
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(replica.connections())
                .allSatisfy(c -> assertThat(c.closedByGateway()).isTrue()));
        assertThat(replica.allText()).doesNotContain(FIRST_CHUNK + line.charAt(0)).doesNotContain("Z\r\n");
    }

    /**
     * RFC 9112 lets a recipient skip whitespace around an extension's {@code ;} (BWS). The
     * standalone parser does not (a replica that stops at the space would read another size);
     * an embedded gateway's host server (Jetty) skips it, and the replica never sees the
     * client's framing at all: the gateway's client sends the body re-framed.
     */
    @ParameterizedTest
    @ValueSource(strings = {"1 ;ext\r\n", "1; a\r\n"})
    void whitespaceAroundAnExtensionIsRefusedStandaloneAndReframedEmbedded(String line) throws Exception {
        try (ScriptedBackend echo = ScriptedBackend.start(request -> ScriptedResponse.ok(request.body()))) {
            gateway = transport.start(Gateway.builder().router(new RoundRobinTestRouter(echo.port())),
                    ConnectorSettings.ONE_LOOP);
            try (RawHttpClient http = new RawHttpClient(gateway.port())) {
                RawHttpClient.Response response = http.send(HEAD + FIRST_CHUNK + line + "Z\r\n0\r\n\r\n").read();

                if (transport == Transport.STANDALONE) {
                    assertThat(response.status()).isEqualTo(400);
                    assertThat(echo.requests()).isEmpty();
                } else {
                    assertThat(response.status()).isEqualTo(200);
                    assertThat(response.body()).isEqualTo("helloZ");
                }
            }
        }
    }
}
