package io.longshore.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.longshore.testkit.RecordedRequest;
import io.longshore.testkit.ScriptedBackend;
import io.longshore.testkit.ScriptedResponse;
import io.longshore.testkit.TestCertificates;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
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
import org.eclipse.jetty.http2.frames.ResetFrame;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP/2 from clients in embedded mode: the host server's connectors speak it (h2c with prior
 * knowledge, h2 over TLS by ALPN), the gateway's handler forwards each stream to a replica as
 * an HTTP/1.1 request, with the forwarding headers a plain request gets (the stream's
 * {@code :authority} becomes {@code X-Forwarded-Host}).
 */
class GatewayEmbeddedHttp2Test {
    private ScriptedBackend backend;
    private Gateway gateway;
    private Server host;

    @BeforeEach
    void start() {
        backend = ScriptedBackend.start(request -> ScriptedResponse.ok("hello " + request.method() + " " + request.body()));
        gateway = Gateway.builder().embedded().router(new RoundRobinTestRouter(backend.port())).build().start();
    }

    @AfterEach
    void stop() throws Exception {
        if (host != null) {
            host.stop();
        }
        gateway.close();
        backend.close();
    }

    private int startHost(ServerConnector connector) throws Exception {
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        host.addConnector(connector);
        host.setHandler(gateway.handler());
        host.start();
        return connector.getLocalPort();
    }

    @Test
    void h2cWithPriorKnowledgeIsServedAndForwardedAsHttp11() throws Exception {
        host = new Server();
        HttpConfiguration config = new HttpConfiguration();
        int port = startHost(new ServerConnector(host, new HttpConnectionFactory(config),
                new HTTP2CServerConnectionFactory(config)));
        HttpClient client = new HttpClient(new HttpClientTransportOverHTTP2(new HTTP2Client()));
        client.start();
        try {
            ContentResponse get = client.newRequest("http://127.0.0.1:" + port + "/a?x=1")
                    .timeout(10, java.util.concurrent.TimeUnit.SECONDS).send();
            ContentResponse post = client.POST("http://127.0.0.1:" + port + "/b")
                    .body(new StringRequestContent("text/plain", "body-1"))
                    .timeout(10, java.util.concurrent.TimeUnit.SECONDS).send();

            assertThat(get.getVersion()).isEqualTo(HttpVersion.HTTP_2);
            assertThat(get.getStatus()).isEqualTo(200);
            assertThat(get.getContentAsString()).isEqualTo("hello GET ");
            assertThat(post.getContentAsString()).isEqualTo("hello POST body-1");
            RecordedRequest first = backend.requests().get(0);
            assertThat(first.requestLine()).isEqualTo("GET /a?x=1 HTTP/1.1");
            assertThat(first.header("Host")).isEqualTo("127.0.0.1:" + backend.port());
            assertThat(first.header("X-Forwarded-Host")).isEqualTo("127.0.0.1:" + port);
            assertThat(first.header("X-Forwarded-For")).isEqualTo("127.0.0.1");
            assertThat(first.header("X-Forwarded-Proto")).isEqualTo("http");
        } finally {
            client.stop();
        }
    }

    /**
     * A stream Jetty resets on its own (DATA past its content-length) frees its replica request at
     * once behind the host's {@link GatewayHttp2} factory, not at the response timeout.
     */
    @Test
    void behindGatewayHttp2AStreamJettyResetsFreesItsReplicaRequestAtOnce() throws Exception {
        restartWithALongResponseTimeout();
        host = new Server();
        HttpConfiguration config = new HttpConfiguration();
        int port = startHost(new ServerConnector(host, new HttpConnectionFactory(config), GatewayHttp2.cleartext(config)));
        HTTP2Client raw = new HTTP2Client();
        raw.start();
        try {
            Session session = raw.connect(new InetSocketAddress("127.0.0.1", port), new Session.Listener() { })
                    .get(10, TimeUnit.SECONDS);
            aStreamJettyResetsFreesItsReplicaRequest(session, "http://127.0.0.1:" + port);
        } finally {
            raw.stop();
        }
    }

    /** The same over TLS, with {@link GatewayHttp2#secure} negotiated by ALPN. */
    @Test
    void behindGatewayHttp2SecureAStreamJettyResetsFreesItsReplicaRequestAtOnce(@TempDir Path dir) throws Exception {
        restartWithALongResponseTimeout();
        TestCertificates.Certificate certificate = TestCertificates.make(dir, "localhost", "localhost");
        int port = startTlsHost(certificate);
        SslContextFactory.Client trusting = new SslContextFactory.Client();
        trusting.setSslContext(TestCertificates.trusting(certificate.x509()));
        trusting.start();
        HTTP2Client raw = new HTTP2Client();
        raw.start();
        try {
            Session session = raw.connect(trusting, new InetSocketAddress("localhost", port), new Session.Listener() { })
                    .get(10, TimeUnit.SECONDS);
            aStreamJettyResetsFreesItsReplicaRequest(session, "https://localhost:" + port);
        } finally {
            raw.stop();
            trusting.stop();
        }
    }

    /** Starts the host with one TLS connector: h2 by ALPN through {@link GatewayHttp2#secure}, else HTTP/1.1. */
    private int startTlsHost(TestCertificates.Certificate certificate) throws Exception {
        host = new Server();
        HttpConfiguration config = new HttpConfiguration();
        config.addCustomizer(new SecureRequestCustomizer(false));
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStorePath(certificate.keyStore().toString());
        tls.setKeyStorePassword(TestCertificates.PASSWORD);
        ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory("h2", "http/1.1");
        alpn.setDefaultProtocol("http/1.1");
        return startHost(new ServerConnector(host, new SslConnectionFactory(tls, alpn.getProtocol()), alpn,
                GatewayHttp2.secure(config), new HttpConnectionFactory(config)));
    }

    private void restartWithALongResponseTimeout() {
        gateway.close();
        gateway = Gateway.builder().embedded().router(new RoundRobinTestRouter(backend.port()))
                .responseTimeout(Duration.ofMinutes(2)).build().start();
    }

    /** Sends 13 bytes on a stream that declared 10: Jetty resets it, and the replica's request is given up at once. */
    private void aStreamJettyResetsFreesItsReplicaRequest(Session session, String origin) throws Exception {
        MetaData.Request post = new MetaData.Request("POST", HttpURI.from(origin + "/upload"),
                HttpVersion.HTTP_2, HttpFields.build().put("Content-Length", "10"), 10);
        CompletableFuture<Void> reset = new CompletableFuture<>();
        Stream stream = session.newStream(new HeadersFrame(post, null, false), new Stream.Listener() {
            @Override
            public void onReset(Stream stream, ResetFrame frame, Callback callback) {
                reset.complete(null);
                callback.succeeded();
            }
        }).get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> inFlight() == 1); // on its way to the replica
        stream.data(new DataFrame(stream.getId(), ByteBuffer.wrap("hello world!!".getBytes(StandardCharsets.US_ASCII)),
                true)).get(10, TimeUnit.SECONDS);
        reset.get(10, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(10)).until(() -> inFlight() == 0);
    }

    private double inFlight() {
        return gateway.meterRegistry().scrape().lines().filter(l -> l.startsWith("longshore_gateway_requests_inflight "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void h2OverTlsIsNegotiatedByAlpnAndForwardedWithTheHttpsProto(@TempDir Path dir) throws Exception {
        TestCertificates.Certificate certificate = TestCertificates.make(dir, "localhost", "localhost");
        int port = startTlsHost(certificate);
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_2)
                .sslContext(TestCertificates.trusting(certificate.x509()))
                .connectTimeout(Duration.ofSeconds(10)).build();

        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/s"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.version()).isEqualTo(java.net.http.HttpClient.Version.HTTP_2);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("hello GET ");
        RecordedRequest forwarded = backend.requests().get(0);
        assertThat(forwarded.requestLine()).isEqualTo("GET /s HTTP/1.1");
        assertThat(forwarded.header("X-Forwarded-Proto")).isEqualTo("https");
        assertThat(forwarded.header("X-Forwarded-Host")).isEqualTo("localhost:" + port);
    }
}
