package io.longshore.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.longshore.testkit.RawHttpClient;
import io.longshore.testkit.RecordedRequest;
import io.longshore.testkit.ScriptedBackend;
import io.longshore.testkit.ScriptedResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** HTTP/1.1 as the gateway speaks it on the wire, byte for byte, against a scripted replica. */
@ParameterizedClass
@EnumSource(Transport.class)
class GatewayHttp11Test {
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

    private TestGateway start(ScriptedBackend replica) {
        return start(replica, ConnectorSettings.ONE_LOOP);
    }

    private TestGateway start(ScriptedBackend replica, ConnectorSettings connector) {
        backend = replica;
        gateway = transport.start(Gateway.builder().router(new RoundRobinTestRouter(replica.port())), connector);
        return gateway;
    }

    @Test
    void answersPipelinedRequestsInOrderOnOneConnection() throws Exception {
        start(ScriptedBackend.start(request -> ScriptedResponse.ok(request.target())));

        try (RawHttpClient http = new RawHttpClient(gateway.port())) {
            http.send("GET /one HTTP/1.1\r\nHost: h\r\n\r\nPOST /two HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc"
                    + "GET /three HTTP/1.1\r\nHost: h\r\n\r\n");

            assertThat(http.read().body()).isEqualTo("/one");
            assertThat(http.read().body()).isEqualTo("/two");
            assertThat(http.read().body()).isEqualTo("/three");
        }
        assertThat(backend.requests()).extracting(RecordedRequest::body).containsExactly("", "abc", "");
    }

    @Test
    void keepsOneReplicaConnectionForManyRequests() throws Exception {
        start(ScriptedBackend.answering("ok"));

        try (RawHttpClient http = new RawHttpClient(gateway.port())) {
            for (int i = 0; i < 20; i++) {
                assertThat(http.send("GET /r" + i + " HTTP/1.1\r\nHost: h\r\n\r\n").read().body()).isEqualTo("ok");
            }
        }
        assertThat(backend.requests()).hasSize(20);
        assertThat(backend.connections()).isEqualTo(1);
    }

    @Test
    void anHttp10ClientGetsItsAnswerAndThenTheConnectionCloses() throws Exception {
        start(ScriptedBackend.answering("old"));

        try (RawHttpClient http = new RawHttpClient(gateway.port())) {
            RawHttpClient.Response response = http.send("GET /v HTTP/1.0\r\n\r\n").read();

            assertThat(response.statusLine()).startsWith("HTTP/1.1 200");
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(response.body()).isEqualTo("old");
            assertThat(http.isClosedByPeer()).isTrue();
        }
        assertThat(backend.requests().get(0).requestLine()).isEqualTo("GET /v HTTP/1.1");
        assertThat(backend.requests().get(0).header("Via")).isEqualTo("1.0 longshore");
    }

    @Test
    void anHttp10ClientThatAsksForKeepAliveKeepsItsConnection() throws Exception {
        start(ScriptedBackend.answering("old"));

        try (RawHttpClient http = new RawHttpClient(gateway.port())) {
            RawHttpClient.Response first = http.send("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
            RawHttpClient.Response second = http.send("GET /b HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();

            assertThat(first.header("Connection")).isEqualTo("keep-alive");
            assertThat(second.body()).isEqualTo("old");
        }
    }

    @Test
    void decodesAChunkedResponseForAnHttp10Client() throws Exception {
        start(ScriptedBackend.start(request -> ScriptedResponse.ok("hello world").chunked(6)));

        try (RawHttpClient http = new RawHttpClient(gateway.port())) {
            RawHttpClient.Response response = http.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();

            assertThat(response.header("Transfer-Encoding")).isNull();
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(response.body()).isEqualTo("hello world");
        }
    }

    @Test
    void answers100ContinueItselfAndForwardsTheBodyWithoutTheExpectation() throws Exception {
        start(ScriptedBackend.answering("stored"));

        try (RawHttpClient http = new RawHttpClient(gateway.port())) {
            http.send("PUT /doc HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
            RawHttpClient.Response interim = http.read();
            RawHttpClient.Response response = http.send("hello").read();

            assertThat(interim.status()).isEqualTo(100);
            assertThat(response.body()).isEqualTo("stored");
        }
        assertThat(backend.requests().get(0).body()).isEqualTo("hello");
        assertThat(backend.requests().get(0).header("Expect")).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\nabcd",
            "GET /api/../admin HTTP/1.1\r\nHost: h\r\n\r\n",
            "GET / HTTP/1.1\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: h\r\nBad Header: x\r\n\r\n",
    })
    void refusesAmbiguousRequestsWith400AndForwardsNothing(String request) throws Exception {
        start(ScriptedBackend.answering("never"));

        try (RawHttpClient http = new RawHttpClient(gateway.port())) {
            RawHttpClient.Response response = http.send(request).read();

            assertThat(response.status()).isEqualTo(400);
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(http.isClosedByPeer()).isTrue();
        }
        assertThat(backend.requests()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "CONNECT example.org:443 HTTP/1.1\r\nHost: example.org:443\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
    })
    void answers501ToWhatItCannotForwardAndSaysWhy(String request) throws Exception {
        start(ScriptedBackend.answering("never"));

        try (RawHttpClient http = new RawHttpClient(gateway.port())) {
            RawHttpClient.Response response = http.send(request).read();

            assertThat(response.status()).isEqualTo(501);
            assertThat(response.body()).contains("not supported");
            assertThat(response.header("Connection")).isEqualTo("close");
        }
        assertThat(backend.requests()).isEmpty();
    }

    @Test
    void aChunkedRequestBodyWithBrokenFramingGets400() throws Exception {
        start(ScriptedBackend.answering("never"));

        try (RawHttpClient http = new RawHttpClient(gateway.port())) {
            RawHttpClient.Response response = http.send("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "zz\r\nnot hex\r\n").read();

            assertThat(response.status()).isEqualTo(400);
        }
    }

    @Test
    void forwardsInterimResponsesButTheReplicasOwn100() throws Exception {
        start(ScriptedBackend.start(request -> ScriptedResponse.raw("HTTP/1.1 100 Continue\r\n\r\n"
                + "HTTP/1.1 103 Early Hints\r\nLink: </style.css>\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\ndone")));

        try (RawHttpClient http = new RawHttpClient(gateway.port())) {
            http.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
            RawHttpClient.Response hints = http.read();
            RawHttpClient.Response response = http.read();

            assertThat(hints.status()).isEqualTo(103);
            assertThat(hints.header("Link")).isEqualTo("</style.css>");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("done");
        }
    }

    /**
     * A {@code 101} to a request that did not ask to switch is a bad answer, not a sign of a
     * stale pooled connection: with no other replica to try, the client gets 502 and the request
     * is not sent again.
     */
    @Test
    void a101ToARequestThatDidNotAskToSwitchIs502AndTheRequestIsSentOnce() throws Exception {
        start(ScriptedBackend.start(request -> ScriptedResponse.raw(request.target().equals("/switch")
                ? "HTTP/1.1 101 Switching Protocols\r\nUpgrade: foo\r\nConnection: Upgrade\r\n\r\n"
                : "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")));

        try (RawHttpClient http = new RawHttpClient(gateway.port())) {
            // the second request goes on the pooled connection the first left: a reused one
            assertThat(http.send("GET /warm HTTP/1.1\r\nHost: h\r\n\r\n").read().status()).isEqualTo(200);
            RawHttpClient.Response switched = http.send("GET /switch HTTP/1.1\r\nHost: h\r\n\r\n").read();

            assertThat(switched.status()).isEqualTo(502);
        }
        assertThat(backend.requests()).extracting(RecordedRequest::target).containsExactly("/warm", "/switch");
    }

    /**
     * A body with a transfer coding other than chunked ({@code gzip, chunked}) goes to an HTTP/1.1
     * client with that coding from the standalone engine. Embedded, Jetty's client and server
     * take off and put on the chunked framing themselves and the other coding would be lost, so
     * the gateway answers 502 instead of relaying the body as if it were not coded.
     */
    @Test
    void aBodyWithATransferCodingOtherThanChunkedKeepsItOrIsAnswered502() throws Exception {
        start(ScriptedBackend.start(request -> ScriptedResponse.raw(
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n2\r\nzz\r\n0\r\n\r\n")));

        String raw = TestSupport.exchangeToClose(gateway.port(),
                "GET /gzip HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");

        if (transport == Transport.STANDALONE) {
            assertThat(raw).startsWith("HTTP/1.1 200").containsIgnoringCase("Transfer-Encoding: gzip, chunked");
        } else {
            assertThat(raw).startsWith("HTTP/1.1 502");
        }
    }

    @Test
    void aChunkedResponsesTrailerFieldsReachTheClient() throws Exception {
        start(ScriptedBackend.start(request -> ScriptedResponse.raw("HTTP/1.1 200 OK\r\nTrailer: X-Sum\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\nX-Sum: 1\r\n\r\n")));

        String raw = TestSupport.exchangeToClose(gateway.port(),
                "GET /t HTTP/1.1\r\nHost: h\r\nTE: trailers\r\nConnection: close\r\n\r\n");

        assertThat(raw).startsWith("HTTP/1.1 200").contains("Trailer: X-Sum\r\n")
                .endsWith("\r\n2\r\nok\r\n0\r\nX-Sum: 1\r\n\r\n");
    }

    @Test
    void aChunkedRequestsTrailerFieldsReachTheReplica() throws Exception {
        try (RecordingReplica replica = new RecordingReplica()) {
            gateway = transport.start(Gateway.builder().router(new RoundRobinTestRouter(replica.port())),
                    ConnectorSettings.ONE_LOOP);

            try (RawHttpClient http = new RawHttpClient(gateway.port())) {
                http.send("POST /up HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "2\r\nab\r\n0\r\nX-Req-Sum: 9\r\n\r\n");

                await().atMost(Duration.ofSeconds(10)).until(() -> replica.allText().contains("ab\r\n")
                        && replica.allText().endsWith("\r\n\r\n"));
                assertThat(replica.allText()).contains("Transfer-Encoding: chunked").contains("ab\r\n")
                        .endsWith("0\r\nX-Req-Sum: 9\r\n\r\n");
            }
        }
    }

    @Test
    void aResponseDelimitedByCloseReachesTheClientWholeAndClosesItsConnection() throws Exception {
        start(ScriptedBackend.start(request -> ScriptedResponse.ok("until the end").delimitedByClose()));

        try (RawHttpClient http = new RawHttpClient(gateway.port())) {
            RawHttpClient.Response response = http.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n").read();

            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(response.body()).isEqualTo("until the end");
        }
    }

    @Test
    void aReplicaClosingItsConnectionDoesNotCloseTheClients() throws Exception {
        start(ScriptedBackend.start(request -> ScriptedResponse.ok("ok").withHeader("Connection", "close").thenClose()));

        try (RawHttpClient http = new RawHttpClient(gateway.port())) {
            RawHttpClient.Response first = http.send("GET /1 HTTP/1.1\r\nHost: h\r\n\r\n").read();
            RawHttpClient.Response second = http.send("GET /2 HTTP/1.1\r\nHost: h\r\n\r\n").read();

            assertThat(first.header("Connection")).isNull();
            assertThat(second.body()).isEqualTo("ok");
        }
        assertThat(backend.connections()).isEqualTo(2);
    }

    @Test
    void aReplicaThatAnswersBeforeReadingTheBodyIsRelayedAndTheClientConnectionCloses() throws Exception {
        start(ScriptedBackend.ignoringBodies(request -> ScriptedResponse.status(413).withBody("big!")
                .withHeader("Connection", "close").thenClose()));
        String body = "x".repeat(300_000);

        try (RawHttpClient http = new RawHttpClient(gateway.port())) {
            http.send("POST /upload HTTP/1.1\r\nHost: h\r\nContent-Length: " + body.length() + "\r\n\r\n");
            Thread writer = new Thread(() -> {
                try {
                    http.send(body);
                } catch (IOException ignored) {
                    // the gateway may close once it has answered
                }
            });
            writer.start();
            RawHttpClient.Response response = http.read();
            writer.join(10_000);

            assertThat(response.status()).isEqualTo(413);
            assertThat(response.body()).isEqualTo("big!");
        }
    }

    @Test
    void rejectsAResponseHeadOverTheLimitWith502() throws Exception {
        start(ScriptedBackend.start(request -> ScriptedResponse.status(200).withHeader("X-Huge", "h".repeat(40_000))));

        try (RawHttpClient http = new RawHttpClient(gateway.port())) {
            assertThat(http.send("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n").read().status())
                    .isEqualTo(502);
        }
    }

    @Test
    void sendsAnAbsoluteFormTargetInOriginForm() throws Exception {
        start(ScriptedBackend.answering("ok"));

        try (RawHttpClient http = new RawHttpClient(gateway.port())) {
            http.send("GET http://example.com/p?q=1 HTTP/1.1\r\nHost: example.com\r\n\r\n").read();
        }
        assertThat(backend.requests().get(0).requestLine()).isEqualTo("GET /p?q=1 HTTP/1.1");
        assertThat(backend.requests().get(0).header("X-Forwarded-Host")).isEqualTo("example.com");
    }

    @Test
    void closesAKeepAliveConnectionIdleLongerThanTheClientIdleTimeout() throws Exception {
        start(ScriptedBackend.answering("ok"), ConnectorSettings.DEFAULTS.withClientIdleTimeout(Duration.ofMillis(200)));

        try (RawHttpClient http = new RawHttpClient(gateway.port())) {
            assertThat(http.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n").read().body()).isEqualTo("ok");

            await().atMost(Duration.ofSeconds(5)).until(http::isClosedByPeer);
        }
    }

    /** The client idle timeout bounds a client's silence, not a replica's: a slow answer is waited for. */
    @Test
    void waitsForAReplicaSlowerThanTheClientIdleTimeout() throws Exception {
        start(ScriptedBackend.start(request -> ScriptedResponse.ok("late").delayed(Duration.ofMillis(1200))),
                ConnectorSettings.DEFAULTS.withClientIdleTimeout(Duration.ofMillis(300)));

        try (RawHttpClient http = new RawHttpClient(gateway.port())) {
            assertThat(http.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n").read().body()).isEqualTo("late");
        }
    }

    @Test
    void acceptsHeadsUpToALimitLargerThanItsDefaultBuffer() throws Exception {
        start(ScriptedBackend.answering("big head ok"), ConnectorSettings.DEFAULTS.withMaxHeaderBytes(64 * 1024));
        String cookie = "c".repeat(40_000);

        try (RawHttpClient http = new RawHttpClient(gateway.port())) {
            RawHttpClient.Response response = http.send("GET / HTTP/1.1\r\nHost: h\r\nCookie: " + cookie + "\r\n\r\n").read();

            assertThat(response.body()).isEqualTo("big head ok");
        }
        assertThat(backend.requests().get(0).header("Cookie")).isEqualTo(cookie);
    }
}
