package io.longshore.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.longshore.testkit.RecordedRequest;
import io.longshore.testkit.ScriptedBackend;
import io.longshore.testkit.ScriptedResponse;
import io.longshore.testkit.TestCertificates;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.nio.ByteBuffer;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http2.api.Session;
import org.eclipse.jetty.http2.api.Stream;
import org.eclipse.jetty.http2.frames.DataFrame;
import org.eclipse.jetty.http2.frames.HeadersFrame;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * HTTP/2 from clients on the standalone gateway ({@code http2(true)}): a client that opens with
 * the preface (prior knowledge) on the plain port, and one that chooses {@code h2} by ALPN on the
 * TLS port, get their streams answered, each forwarded to a replica as an HTTP/1.1 request with
 * the forwarding headers and counted in the metrics; HTTP/1.1 clients on the same ports are
 * served as before; a stream in flight when the gateway closes is answered. Off by default: the
 * preface gets 505 and ALPN chooses http/1.1.
 */
class GatewayHttp2Test {
    @TempDir
    Path dir;
    private ScriptedBackend backend;
    private Gateway gateway;
    private HttpClient h2c;
    private HTTP2Client raw;

    @AfterEach
    void stop() throws Exception {
        if (h2c != null) {
            h2c.stop();
        }
        if (raw != null) {
            raw.stop();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    private Gateway start(GatewayBuilder builder) {
        if (backend == null) {
            backend = ScriptedBackend.start(request -> ScriptedResponse.ok(request.method() + " " + request.target()
                    + " " + request.body() + " " + request.header("X-Forwarded-Proto")));
        }
        gateway = builder.router(new RoundRobinTestRouter(backend.port())).port(0).adminEnabled(false).build().start();
        return gateway;
    }

    /** Jetty's client speaking h2c with prior knowledge, all streams on one connection. */
    private HttpClient priorKnowledgeClient() throws Exception {
        h2c = new HttpClient(new HttpClientTransportOverHTTP2(new HTTP2Client()));
        h2c.setMaxConnectionsPerDestination(1);
        h2c.start();
        return h2c;
    }

    private double requestsCounted() {
        return gateway.meterRegistry().scrape().lines().filter(l -> l.startsWith("longshore_gateway_requests_total{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void priorKnowledgeStreamsShareOneConnectionAndReachTheReplicaAsHttp11() throws Exception {
        start(Gateway.builder().http2(true));
        HttpClient client = priorKnowledgeClient();
        String base = "http://127.0.0.1:" + gateway.port();

        List<CompletableFuture<ContentResponse>> gets = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            gets.add(new CompletableResponseListener(client.newRequest(base + "/get/" + i)
                    .timeout(10, TimeUnit.SECONDS)).send());
        }
        ContentResponse post = client.POST(base + "/post").body(new StringRequestContent("text/plain", "body-1"))
                .timeout(10, TimeUnit.SECONDS).send();

        for (CompletableFuture<ContentResponse> get : gets) {
            ContentResponse response = get.get(10, TimeUnit.SECONDS);
            assertThat(response.getVersion()).isEqualTo(HttpVersion.HTTP_2);
            assertThat(response.getStatus()).isEqualTo(200);
            assertThat(response.getContentAsString()).startsWith("GET /get/").endsWith(" http");
        }
        assertThat(post.getVersion()).isEqualTo(HttpVersion.HTTP_2);
        assertThat(post.getContentAsString()).isEqualTo("POST /post body-1 http");
        RecordedRequest forwarded = backend.requests().stream().filter(r -> r.method().equals("POST")).findFirst()
                .orElseThrow();
        assertThat(forwarded.requestLine()).isEqualTo("POST /post HTTP/1.1");
        assertThat(forwarded.header("X-Forwarded-For")).isEqualTo("127.0.0.1");
        assertThat(forwarded.header("X-Forwarded-Host")).isEqualTo("127.0.0.1:" + gateway.port());
        assertThat(forwarded.header("Host")).isEqualTo("127.0.0.1:" + backend.port());
        assertThat(backend.requests()).hasSize(21);
        assertThat(requestsCounted()).isEqualTo(21);
        assertThat(gateway.meterRegistry().scrape()).contains("longshore_gateway_http2_connections 1.0");
        client.stop();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> gateway.meterRegistry().scrape().contains("longshore_gateway_http2_connections 0.0"));
    }

    @Test
    void http11ClientsOnTheSamePortAreServedAsBefore() throws Exception {
        start(Gateway.builder().http2(true));

        String reply = exchange(gateway.port(), "GET /plain HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        assertThat(reply).startsWith("HTTP/1.1 200").endsWith("GET /plain  http");
    }

    @Test
    void withoutHttp2ThePrefaceIsAnswered505() throws Exception {
        start(Gateway.builder());

        String reply = exchange(gateway.port(), "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");

        assertThat(reply).startsWith("HTTP/1.1 505");
        assertThat(backend.requests()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = Tls.Provider.class, names = {"JDK", "CONSCRYPT"})
    void h2IsChosenByAlpnOnTheTlsListenerAndTheReplicaHearsHttps(Tls.Provider provider) throws Exception {
        TestCertificates.Certificate certificate = TestCertificates.make(dir, "localhost", "localhost");
        start(Gateway.builder().http2(true).tls(Tls.builder().port(0).provider(provider)
                .certificate(certificate.certificate(), certificate.key()).build()));

        HttpResponse<String> h2 = send(certificate, java.net.http.HttpClient.Version.HTTP_2, "/secure");
        HttpResponse<String> h1 = send(certificate, java.net.http.HttpClient.Version.HTTP_1_1, "/old");

        assertThat(h2.version()).isEqualTo(java.net.http.HttpClient.Version.HTTP_2);
        assertThat(h2.body()).isEqualTo("GET /secure  https");
        assertThat(h1.version()).isEqualTo(java.net.http.HttpClient.Version.HTTP_1_1);
        assertThat(h1.body()).isEqualTo("GET /old  https");
        assertThat(backend.requests()).extracting(RecordedRequest::requestLine)
                .containsExactly("GET /secure HTTP/1.1", "GET /old HTTP/1.1");
    }

    @ParameterizedTest
    @EnumSource(value = Tls.Provider.class, names = {"JDK", "CONSCRYPT"})
    void withoutHttp2AlpnChoosesHttp11ForAClientThatOffersH2(Tls.Provider provider) throws Exception {
        TestCertificates.Certificate certificate = TestCertificates.make(dir, "localhost", "localhost");
        start(Gateway.builder().tls(Tls.builder().port(0).provider(provider).certificate(certificate.certificate(), certificate.key())
                .build()));

        HttpResponse<String> response = send(certificate, java.net.http.HttpClient.Version.HTTP_2, "/s");

        assertThat(response.version()).isEqualTo(java.net.http.HttpClient.Version.HTTP_1_1);
        assertThat(response.body()).isEqualTo("GET /s  https");
    }

    @Test
    void aStreamInFlightIsAnsweredWhenTheGatewayCloses() throws Exception {
        backend = ScriptedBackend.start(request -> ScriptedResponse.ok("slow").delayed(Duration.ofMillis(800)));
        start(Gateway.builder().http2(true).shutdownTimeout(Duration.ofSeconds(10)));
        HttpClient client = priorKnowledgeClient();
        CompletableFuture<ContentResponse> inFlight = CompletableFuture.supplyAsync(() -> {
            try {
                return client.newRequest("http://127.0.0.1:" + gateway.port() + "/slow").timeout(10, TimeUnit.SECONDS)
                        .send();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !backend.requests().isEmpty());

        gateway.close();

        ContentResponse response = inFlight.get(10, TimeUnit.SECONDS);
        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getContentAsString()).isEqualTo("slow");
    }

    @Test
    void aReplicaThatAnswersBeforeTheBodyEndsCompletesTheStreamAtOnce() throws Exception {
        backend = ScriptedBackend.ignoringBodies(request -> ScriptedResponse.status(413).withBody("too much")
                .withHeader("Connection", "close").thenClose());
        start(Gateway.builder().http2(true).responseTimeout(Duration.ofMinutes(2)));
        HTTP2Client raw = new HTTP2Client();
        raw.start();
        try {
            // clients that declare a body's length, send part of it and then neither end nor reset
            // their streams, as curl does when the response comes while it uploads; the replica
            // answers without reading the body and closes, as Python's http.server does
            Session session = raw.connect(new InetSocketAddress("127.0.0.1", gateway.port()), new Session.Listener() { })
                    .get(10, TimeUnit.SECONDS);
            for (int attempt = 0; attempt < 20; attempt++) {
                assertThat(postPartOfABody(session)).isEqualTo(413);
            }
            // each stream is done with its response, not held until the two-minute response timeout
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> inFlight() == 0);
        } finally {
            raw.stop();
        }
    }

    /**
     * Jetty resets a stream whose DATA goes past its content-length without telling the request;
     * the exchange hears it anyway and gives up the replica's request at once, not at the
     * two-minute response timeout. A stream that ends short of its length with trailers, which
     * Jetty lets through, gets 400 rather than leaving the replica waiting for the rest.
     */
    @Test
    void aStreamResetForABodyPastItsLengthFreesItsReplicaAndOneEndingShortGets400() throws Exception {
        start(Gateway.builder().http2(true).responseTimeout(Duration.ofMinutes(2)));
        Session session = rawSession();

        CompletableFuture<Integer> tooLong = new CompletableFuture<>();
        Stream longer = session.newStream(new HeadersFrame(postOfLength(10), null, false), statusListener(tooLong))
                .get(10, TimeUnit.SECONDS);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> inFlight() == 1); // on its way
        longer.data(new DataFrame(longer.getId(), ascii("hello world!!"), true)).get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> tooLong.get(10, TimeUnit.SECONDS)).hasMessageContaining("stream reset");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> requestsFinished() == 1);
        assertThat(inFlight()).isZero();

        CompletableFuture<Integer> tooShort = new CompletableFuture<>();
        Stream shorter = session.newStream(new HeadersFrame(postOfLength(10), null, false), statusListener(tooShort))
                .get(10, TimeUnit.SECONDS);
        shorter.data(new DataFrame(shorter.getId(), ascii("hello"), false)).get(10, TimeUnit.SECONDS);
        shorter.headers(new HeadersFrame(shorter.getId(), new MetaData(HttpVersion.HTTP_2,
                HttpFields.build().put("X-Trailer", "1")), null, true)).get(10, TimeUnit.SECONDS);
        assertThat(tooShort.get(10, TimeUnit.SECONDS)).isEqualTo(400);

        assertThat(status(session, "/next", HttpFields.EMPTY)).isEqualTo(200);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> inFlight() == 0);
        // neither body reached the replica whole (the scripted replica records a request once
        // its body is read, so a cut-off one shows only if it read what came before the cut)
        assertThat(backend.requests()).filteredOn(r -> r.target().equals("/upload"))
                .allSatisfy(r -> assertThat(r.body()).hasSizeLessThan(10));
    }

    /**
     * A stream that stalls its declared body for {@code clientIdleTimeout} gets 408, as an
     * HTTP/1.1 client does, and its replica request is given up; a replica slower than that
     * timeout, the body done, is still waited for.
     */
    @Test
    void aStreamThatStallsItsBodyGets408AfterTheClientIdleTimeoutButASlowReplicaIsWaitedFor() throws Exception {
        backend = ScriptedBackend.start(request -> request.target().equals("/slow")
                ? ScriptedResponse.ok("slow").delayed(Duration.ofMillis(2500)) : ScriptedResponse.ok("ok"));
        start(Gateway.builder().http2(true).clientIdleTimeout(Duration.ofSeconds(1))
                .responseTimeout(Duration.ofMinutes(2)));
        Session session = rawSession();

        CompletableFuture<Integer> stalled = new CompletableFuture<>();
        Stream stream = session.newStream(new HeadersFrame(postOfLength(10), null, false), statusListener(stalled))
                .get(10, TimeUnit.SECONDS);
        stream.data(new DataFrame(stream.getId(), ascii("hello"), false)).get(10, TimeUnit.SECONDS);
        assertThat(stalled.get(10, TimeUnit.SECONDS)).isEqualTo(408);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> inFlight() == 0);

        assertThat(status(session, "/slow", HttpFields.EMPTY)).isEqualTo(200);
    }

    /**
     * A stream that pauses in its body longer than the response timeout, and within
     * {@code clientIdleTimeout}, is answered: the replica is silent then because it waits for the
     * body, which says nothing about the replica. The time passes as response timeouts seen on
     * other streams, each answered 504.
     */
    @Test
    void aStreamPausingMidBodyLongerThanTheResponseTimeoutIsAnswered() throws Exception {
        backend = ScriptedBackend.start(request -> request.target().equals("/silent") ? ScriptedResponse.noAnswer()
                : ScriptedResponse.ok("got " + request.body()));
        start(Gateway.builder().http2(true).responseTimeout(Duration.ofMillis(300)).retryBudget(0));
        Session session = rawSession();

        CompletableFuture<Integer> upload = new CompletableFuture<>();
        Stream stream = session.newStream(new HeadersFrame(postOfLength(10), null, false), statusListener(upload))
                .get(10, TimeUnit.SECONDS);
        stream.data(new DataFrame(stream.getId(), ascii("01234"), false)).get(10, TimeUnit.SECONDS);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> backend.connections() == 1);
        for (int i = 0; i < 3; i++) {
            assertThat(status(session, "/silent", HttpFields.EMPTY)).isEqualTo(504);
        }
        stream.data(new DataFrame(stream.getId(), ascii("56789"), true)).get(10, TimeUnit.SECONDS);

        assertThat(upload.get(10, TimeUnit.SECONDS)).isEqualTo(200);
        assertThat(backend.requests()).filteredOn(r -> r.target().equals("/upload"))
                .extracting(RecordedRequest::body).containsExactly("0123456789");
    }

    /**
     * A client that resets its stream while the gateway pauses before retrying elsewhere is gone
     * for good: the retry never reaches the other replica. (The pause is random up to
     * {@code maxRetryBackoff}; the seeded source makes this one about 1.6 of its 2 s.)
     */
    @Test
    void aStreamResetInARetrysPauseIsNotSentToAnotherReplica() throws Exception {
        try (ScriptedBackend first = ScriptedBackend.start(request -> ScriptedResponse.status(503));
             ScriptedBackend second = ScriptedBackend.answering("second")) {
            java.util.random.RandomGenerator seeded = () -> 8;
            gateway = Gateway.builder().http2(true).random(seeded).maxRetryBackoff(Duration.ofSeconds(2)).ioThreads(1)
                    .router(new RoundRobinTestRouter(first.port(), second.port())).port(0).adminEnabled(false)
                    .build().start();
            Session session = rawSession();
            MetaData.Request get = new MetaData.Request("GET", HttpURI.from("http://127.0.0.1:" + gateway.port()
                    + "/retried"), HttpVersion.HTTP_2, HttpFields.EMPTY);
            Stream stream = session.newStream(new HeadersFrame(get, null, true), statusListener(new CompletableFuture<>()))
                    .get(10, TimeUnit.SECONDS);
            // the first replica's 503 is counted before the retry's pause begins
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> fiveHundreds() == 1);

            stream.reset(new org.eclipse.jetty.http2.frames.ResetFrame(stream.getId(),
                    org.eclipse.jetty.http2.ErrorCode.CANCEL_STREAM_ERROR.code)).get(10, TimeUnit.SECONDS);

            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> requestsFinished() == 1);
            assertThat(second.requests()).isEmpty();
            assertThat(inFlight()).isZero();
        }
    }

    private double fiveHundreds() {
        return gateway.meterRegistry().scrape().lines()
                .filter(l -> l.startsWith("longshore_gateway_requests_total{") && l.contains("status=\"5xx\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private MetaData.Request postOfLength(long length) {
        return new MetaData.Request("POST", HttpURI.from("http://127.0.0.1:" + gateway.port() + "/upload"),
                HttpVersion.HTTP_2, HttpFields.build().put("Content-Length", Long.toString(length)), length);
    }

    private static ByteBuffer ascii(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void aResponseOfKnownLengthEndsItsStreamWithTheFrameThatCarriesItsBody() throws Exception {
        start(Gateway.builder().http2(true));
        HTTP2Client raw = new HTTP2Client();
        raw.start();
        try {
            Session session = raw.connect(new InetSocketAddress("127.0.0.1", gateway.port()), new Session.Listener() { })
                    .get(10, TimeUnit.SECONDS);
            MetaData.Request head = new MetaData.Request("GET", HttpURI.from("http://127.0.0.1:" + gateway.port()
                    + "/framed"), HttpVersion.HTTP_2, HttpFields.EMPTY);
            java.util.List<String> frames = new java.util.concurrent.CopyOnWriteArrayList<>();
            CompletableFuture<Void> ended = new CompletableFuture<>();
            session.newStream(new HeadersFrame(head, null, true), new Stream.Listener() {
                @Override
                public void onHeaders(Stream stream, HeadersFrame frame) {
                    stream.demand();
                }

                @Override
                public void onDataAvailable(Stream stream) {
                    Stream.Data data = stream.readData();
                    if (data == null) {
                        stream.demand();
                        return;
                    }
                    frames.add(data.frame().remaining() + (data.frame().isEndStream() ? " end" : ""));
                    data.release();
                    if (data.frame().isEndStream()) {
                        ended.complete(null);
                    } else {
                        stream.demand();
                    }
                }
            }).get(10, TimeUnit.SECONDS);
            ended.get(10, TimeUnit.SECONDS);
            // the replica's body ("GET /framed  http") and the stream's end in one DATA frame, not an empty last one
            assertThat(frames).containsExactly("17 end");
        } finally {
            raw.stop();
        }
    }

    @Test
    void aHeadOverTheLimitIsAnswered414Or431OnItsStreamAndTheConnectionGoesOn() throws Exception {
        start(Gateway.builder().http2(true).maxHeaderBytes(2048));
        HTTP2Client raw = new HTTP2Client();
        raw.start();
        try {
            CompletableFuture<String> goAway = new CompletableFuture<>();
            Session session = raw.connect(new InetSocketAddress("127.0.0.1", gateway.port()), new Session.Listener() {
                @Override
                public void onGoAway(Session session, org.eclipse.jetty.http2.frames.GoAwayFrame frame) {
                    goAway.complete(frame.tryConvertPayload());
                }
            }).get(10, TimeUnit.SECONDS);

            int fieldsTooLarge = status(session, "/big", HttpFields.build().put("X-Big", "a".repeat(4000)));
            int targetTooLong = status(session, "/" + "p".repeat(3000), HttpFields.EMPTY);
            // 90 short fields: an HTTP/1.1 head of about 1.9 KB, within the limit, though HPACK counts
            // 32 bytes more for each (4.3 KB): the gateway must count as HTTP/1.1 does, not as HPACK
            HttpFields.Mutable many = HttpFields.build();
            for (int i = 0; i < 90; i++) {
                many.put(String.format("X-F%03d", i), "0123456789");
            }
            int manyShortFields = status(session, "/many", many);

            assertThat(fieldsTooLarge).isEqualTo(431);
            assertThat(targetTooLong).isEqualTo(414);
            assertThat(manyShortFields).isEqualTo(200);
            assertThat(status(session, "/after", HttpFields.EMPTY)).isEqualTo(200);
            assertThat(goAway).isNotDone();
            assertThat(backend.requests()).extracting(RecordedRequest::target).containsExactly("/many", "/after");
            // the same heads over HTTP/1.1 get the same answers
            assertThat(exchange(gateway.port(), "GET /big HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(4000)
                    + "\r\n\r\n")).startsWith("HTTP/1.1 431");
            StringBuilder manyFields = new StringBuilder("GET /many HTTP/1.1\r\nHost: x\r\nConnection: close\r\n");
            many.forEach(f -> manyFields.append(f.getName()).append(": ").append(f.getValue()).append("\r\n"));
            assertThat(exchange(gateway.port(), manyFields.append("\r\n").toString())).startsWith("HTTP/1.1 200");
        } finally {
            raw.stop();
        }
    }

    @Test
    void aBodyWithoutALengthReachesTheReplicaWholeAndABodilessStreamGoesWithoutOne() throws Exception {
        start(Gateway.builder().http2(true));
        Session session = rawSession();
        MetaData.Request head = new MetaData.Request("PUT", HttpURI.from("http://127.0.0.1:" + gateway.port()
                + "/u"), HttpVersion.HTTP_2, HttpFields.EMPTY); // no content-length, as curl -T - sends
        CompletableFuture<Integer> put = new CompletableFuture<>();
        Stream stream = session.newStream(new HeadersFrame(head, null, false), statusListener(put))
                .get(10, TimeUnit.SECONDS);
        stream.data(new DataFrame(stream.getId(), ByteBuffer.wrap("hel".getBytes(StandardCharsets.US_ASCII)), false))
                .get(10, TimeUnit.SECONDS);
        stream.data(new DataFrame(stream.getId(), ByteBuffer.wrap("lo".getBytes(StandardCharsets.US_ASCII)), true))
                .get(10, TimeUnit.SECONDS);

        assertThat(put.get(10, TimeUnit.SECONDS)).isEqualTo(200);
        assertThat(status(session, "/g", HttpFields.EMPTY)).isEqualTo(200);
        assertThat(backend.requests()).extracting(RecordedRequest::target).containsExactly("/u", "/g");
        assertThat(backend.requests().get(0).body()).isEqualTo("hello");
        RecordedRequest get = backend.requests().get(1);
        assertThat(get.body()).isEmpty();
        assertThat(get.header("Transfer-Encoding")).isNull();
    }

    @Test
    void aMethodThatIsNotATokenGets400OnItsStreamAndABadHostIsNeverForwarded() throws Exception {
        start(Gateway.builder().http2(true));
        Session session = rawSession();
        MetaData.Request smuggling = new MetaData.Request("GET /admin", HttpURI.from("http://127.0.0.1:"
                + gateway.port() + "/public"), HttpVersion.HTTP_2, HttpFields.EMPTY);
        CompletableFuture<Integer> method = new CompletableFuture<>();
        session.newStream(new HeadersFrame(smuggling, null, true), statusListener(method)).get(10, TimeUnit.SECONDS);

        assertThat(method.get(10, TimeUnit.SECONDS)).isEqualTo(400);
        // a host that is not host[:port] is refused 400 on its stream and never forwarded, an
        // unbalanced quote included (on which Jetty's own compliance check would answer 500)
        for (String host : List.of("u@evil", "a\"b", "a b")) {
            assertThat(withoutAuthority(session, host)).as(host).isEqualTo(400);
        }
        assertThat(status(session, "/ok", HttpFields.EMPTY)).isEqualTo(200);
        assertThat(backend.requests()).extracting(RecordedRequest::target).containsExactly("/ok");
    }

    /**
     * A stream's {@code :scheme} is the client's word, not how it reached the gateway: one that
     * claims {@code https} on the plain port is forwarded with {@code X-Forwarded-Proto: http}.
     */
    @Test
    void aStreamClaimingHttpsOnThePlainPortIsForwardedAsHttp() throws Exception {
        start(Gateway.builder().http2(true));
        Session session = rawSession();
        MetaData.Request head = new MetaData.Request("GET", HttpURI.from("https://127.0.0.1:" + gateway.port()
                + "/claims-https"), HttpVersion.HTTP_2, HttpFields.EMPTY);
        CompletableFuture<Integer> status = new CompletableFuture<>();
        session.newStream(new HeadersFrame(head, null, true), statusListener(status)).get(10, TimeUnit.SECONDS);

        assertThat(status.get(10, TimeUnit.SECONDS)).isEqualTo(200);
        assertThat(backend.requests()).singleElement()
                .satisfies(r -> assertThat(r.header("X-Forwarded-Proto")).isEqualTo("http"));
    }

    /**
     * HTTP/2 lets a client split its {@code cookie} field into crumbs (RFC 9113 8.2.3); an
     * HTTP/1.1 replica must get them as one field, joined with {@code "; "}.
     */
    @Test
    void cookieCrumbsReachTheReplicaAsOneCookieField() throws Exception {
        start(Gateway.builder().http2(true));
        Session session = rawSession();

        assertThat(status(session, "/crumbs", HttpFields.build().add("cookie", "a=1").add("cookie", "b=2")))
                .isEqualTo(200);
        assertThat(backend.requests()).singleElement()
                .satisfies(r -> assertThat(r.headers("Cookie")).containsExactly("a=1; b=2"));
    }

    /**
     * A stream Jetty refuses for its host before the proxy handler sees it gets the handler's
     * 400 body and its access-log line, as every answered request does.
     */
    @Test
    void aStreamRefusedForItsHostHasItsAccessLogLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("access.log");
        start(Gateway.builder().http2(true).accessLog(AccessLog.toFile(file, AccessLog.Format.JSON)));
        Session session = rawSession();

        assertThat(withoutAuthority(session, "u@evil")).isEqualTo(400);
        assertThat(status(session, "/ok", HttpFields.EMPTY)).isEqualTo(200);
        gateway.close(); // the log is flushed and closed with the gateway

        List<String> lines = java.nio.file.Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).contains("\"method\":\"GET\"", "\"path\":\"/h\"", "\"protocol\":\"HTTP/2.0\"",
                "\"status\":400", "\"bytes\":" + "bad request\n".length());
        assertThat(lines.get(1)).contains("\"path\":\"/ok\"", "\"status\":200");
        assertThat(backend.requests()).extracting(RecordedRequest::target).containsExactly("/ok");
    }

    /**
     * After a stream refused for a malformed host field, Jetty 12.1.14's decoder still holds that
     * host: the next stream's X-Forwarded-Host comes from its own :authority, never from it. Raw
     * frames, since Jetty's client will not send a CR in a value.
     */
    @Test
    void theNextStreamAfterARefusedHostForwardsItsOwnAuthority() throws Exception {
        start(Gateway.builder().http2(true));
        String authority = "127.0.0.1:" + gateway.port();
        java.io.ByteArrayOutputStream refused = new java.io.ByteArrayOutputStream();
        refused.write(new byte[] {(byte) 0x82, (byte) 0x86}); // :method GET, :scheme http
        literal(refused, 0x04, "/h"); // :path
        literal(refused, 0x0f, "h\r\nX-Inj: 1", 0x17); // host (static index 38)
        java.io.ByteArrayOutputStream next = new java.io.ByteArrayOutputStream();
        next.write(new byte[] {(byte) 0x82, (byte) 0x86});
        literal(next, 0x04, "/next");
        literal(next, 0x01, authority); // :authority

        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            OutputStream out = socket.getOutputStream();
            out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[] {0, 0, 0, 4, 0, 0, 0, 0, 0}); // SETTINGS
            out.write(headersFrame(1, refused.toByteArray()));
            out.write(headersFrame(3, next.toByteArray()));
            out.flush();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !backend.requests().isEmpty());
        }

        assertThat(backend.requests()).singleElement().satisfies(r -> {
            assertThat(r.target()).isEqualTo("/next");
            assertThat(r.header("X-Forwarded-Host")).isEqualTo(authority);
        });
    }

    /** An HPACK literal without indexing whose name is the static table's {@code nameIndex} (or {@code 0x0f} then {@code more}). */
    private static void literal(java.io.ByteArrayOutputStream out, int nameIndex, String value, int... more) {
        out.write(nameIndex);
        for (int b : more) {
            out.write(b);
        }
        byte[] bytes = value.getBytes(StandardCharsets.ISO_8859_1);
        out.write(bytes.length); // under 127: one byte, no Huffman
        out.write(bytes, 0, bytes.length);
    }

    /** A HEADERS frame with END_STREAM and END_HEADERS carrying {@code block} on {@code stream}. */
    private static byte[] headersFrame(int stream, byte[] block) {
        ByteBuffer frame = ByteBuffer.allocate(9 + block.length);
        frame.put((byte) (block.length >> 16)).put((byte) (block.length >> 8)).put((byte) block.length);
        frame.put((byte) 0x01).put((byte) 0x05).putInt(stream).put(block);
        return frame.array();
    }

    /** A session of Jetty's HTTP/2 client with the gateway, for frames its HttpClient would not send; stopped after the test. */
    private Session rawSession() throws Exception {
        raw = new HTTP2Client();
        raw.start();
        return raw.connect(new InetSocketAddress("127.0.0.1", gateway.port()), new Session.Listener() { })
                .get(10, TimeUnit.SECONDS);
    }

    /** Sends a GET for /h with no {@code :authority} and {@code host}; returns the response's status. */
    private static int withoutAuthority(Session session, String host) throws Exception {
        MetaData.Request head = new MetaData.Request("GET", HttpURI.build().scheme("http").path("/h"), HttpVersion.HTTP_2,
                HttpFields.build().put("Host", host));
        CompletableFuture<Integer> status = new CompletableFuture<>();
        session.newStream(new HeadersFrame(head, null, true), statusListener(status)).get(10, TimeUnit.SECONDS);
        return status.get(10, TimeUnit.SECONDS);
    }

    /** Sends a GET for {@code path} with {@code fields} on {@code session} and returns the response's status. */
    private int status(Session session, String path, HttpFields fields) throws Exception {
        MetaData.Request head = new MetaData.Request("GET", HttpURI.from("http://127.0.0.1:" + gateway.port() + path),
                HttpVersion.HTTP_2, fields);
        CompletableFuture<Integer> status = new CompletableFuture<>();
        session.newStream(new HeadersFrame(head, null, true), statusListener(status)).get(10, TimeUnit.SECONDS);
        return status.get(10, TimeUnit.SECONDS);
    }

    /** Opens a stream declaring a 3 MB body, sends 256 KiB of it, and returns the response's status. */
    private int postPartOfABody(Session session) throws Exception {
        MetaData.Request head = new MetaData.Request("POST", HttpURI.from("http://127.0.0.1:" + gateway.port()
                + "/upload"), HttpVersion.HTTP_2, HttpFields.build().put("Content-Length", "3000000"), 3_000_000);
        CompletableFuture<Integer> status = new CompletableFuture<>();
        Stream stream = session.newStream(new HeadersFrame(head, null, false), statusListener(status)).get(10, TimeUnit.SECONDS);
        for (int i = 0; i < 16; i++) { // within the stream's flow-control window, the response come or not
            try {
                stream.data(new DataFrame(stream.getId(), ByteBuffer.allocate(16 * 1024), false))
                        .get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException resetByTheGateway) {
                break;
            }
        }
        return status.get(10, TimeUnit.SECONDS);
    }

    /**
     * Completes {@code status} with the response's status (exceptionally if the stream is reset
     * before it), and reads and drops the body.
     */
    private static Stream.Listener statusListener(CompletableFuture<Integer> status) {
        return new Stream.Listener() {
            @Override
            public void onHeaders(Stream stream, HeadersFrame frame) {
                status.complete(((MetaData.Response) frame.getMetaData()).getStatus());
                stream.demand();
            }

            @Override
            public void onDataAvailable(Stream stream) {
                Stream.Data data = stream.readData();
                if (data != null) {
                    data.release();
                }
                if (data == null || !data.frame().isEndStream()) {
                    stream.demand();
                }
            }

            @Override
            public void onReset(Stream stream, org.eclipse.jetty.http2.frames.ResetFrame frame, Callback callback) {
                status.completeExceptionally(new IllegalStateException("stream reset: " + frame.getError()));
                callback.succeeded();
            }
        };
    }

    /** Requests the gateway finished with, answered or given up (the request-duration timer's count). */
    private double requestsFinished() {
        return gateway.meterRegistry().scrape().lines()
                .filter(l -> l.startsWith("longshore_gateway_request_duration_seconds_count{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private double inFlight() {
        return gateway.meterRegistry().scrape().lines().filter(l -> l.startsWith("longshore_gateway_requests_inflight "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private HttpResponse<String> send(TestCertificates.Certificate certificate,
                                             java.net.http.HttpClient.Version version, String path) throws Exception {
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder().version(version)
                .sslContext(TestCertificates.trusting(certificate.x509())).connectTimeout(Duration.ofSeconds(10))
                .build();
        return client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + gateway.tlsPort() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Writes {@code request} on a new connection and reads until the gateway closes it. */
    private static String exchange(int port, String request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
