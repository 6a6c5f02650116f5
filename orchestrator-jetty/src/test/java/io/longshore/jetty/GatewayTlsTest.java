package io.longshore.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.longshore.api.ConfigurationException;
import io.longshore.api.OrchestratorException;
import io.longshore.testkit.ScriptedBackend;
import io.longshore.testkit.TestCertificates;
import io.longshore.testkit.ScriptedResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * TLS termination on the gateway's own listener, with certificates made in the test: the JDK's
 * HttpClient and curl get answers over it, TLS 1.2 and 1.3 both work, ALPN says http/1.1, SNI
 * picks the certificate, a changed certificate is used for new handshakes while open connections
 * go on, and a bad handshake closes only its own connection. An embedded gateway refuses TLS: its
 * host server terminates it.
 */
@ParameterizedClass(name = "{0} {1}")
@MethodSource("transportsAndProviders")
class GatewayTlsTest {
    @Parameter(0)
    Transport transport;
    /** Every test runs with the JDK's engines and with Conscrypt's. */
    @Parameter(1)
    Tls.Provider provider;

    static Stream<Arguments> transportsAndProviders() {
        return Stream.of(arguments(Transport.STANDALONE, Tls.Provider.JDK),
                arguments(Transport.STANDALONE, Tls.Provider.CONSCRYPT),
                arguments(Transport.EMBEDDED, Tls.Provider.AUTO));
    }

    @TempDir
    Path dir;
    private ScriptedBackend backend;
    private Gateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    /** Starts a standalone gateway with {@code tls}; false (after checking the refusal) when embedded. */
    private boolean started(Tls.Builder tls) {
        return started(tls, request -> ScriptedResponse.ok(request.target() + " " + request.header("X-Forwarded-Proto")));
    }

    private boolean started(Tls.Builder tls, ScriptedBackend.Dispatcher answers) {
        backend = ScriptedBackend.start(answers);
        GatewayBuilder builder = Gateway.builder().router(new RoundRobinTestRouter(backend.port()))
                .tls(tls.port(0).provider(provider).reloadInterval(Duration.ofMillis(100)).build());
        if (transport == Transport.EMBEDDED) {
            assertThatThrownBy(() -> builder.embedded().build()).isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("tls").hasMessageContaining("SslConnectionFactory");
            return false;
        }
        gateway = builder.port(0).adminEnabled(false).ioThreads(1).build().start();
        return true;
    }

    private SSLSocket connect(SSLContext context, String sniName, String protocol, String... alpn) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", gateway.tlsPort());
        socket.setSoTimeout(10_000);
        SSLParameters parameters = socket.getSSLParameters();
        if (sniName != null) {
            parameters.setServerNames(List.of(new SNIHostName(sniName)));
        }
        if (protocol != null) {
            parameters.setProtocols(new String[] {protocol});
        }
        if (alpn.length > 0) {
            parameters.setApplicationProtocols(alpn);
        }
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return socket;
    }

    /** Sends a GET for {@code path} on {@code socket} and reads the answer's body (by its Content-Length). */
    static String exchange(Socket socket, String path) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: a.test\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed after " + head);
            }
            head.append((char) b);
        }
        int length = Integer.parseInt(head.toString().replaceAll("(?s).*Content-Length: (\\d+).*", "$1"));
        return new String(in.readNBytes(length), StandardCharsets.US_ASCII);
    }

    private static X509Certificate peer(SSLSocket socket) throws Exception {
        return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    }

    private double counter(String name) {
        return gateway.meterRegistry().get(name).functionCounter().count();
    }

    @Test
    void theJdkHttpClientGetsAnswersOverTlsAndTheReplicaHearsHttps() throws Exception {
        TestCertificates.Certificate a = TestCertificates.make(dir, "a.test", "a.test");
        if (!started(Tls.builder().certificate(a.certificate(), a.key()))) {
            return;
        }
        HttpClient client = HttpClient.newBuilder().sslContext(TestCertificates.trusting(a.x509())).build();

        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(
                "https://127.0.0.1:" + gateway.tlsPort() + "/secure")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("/secure https");
        assertThat(counter("longshore.gateway.tls.handshakes")).isGreaterThanOrEqualTo(1);
        assertThat(gateway.meterRegistry().get("longshore.gateway.tls.provider").gauge().getId().getTag("provider"))
                .startsWith(provider == Tls.Provider.JDK ? "JDK " : "Conscrypt ");
    }

    @Test
    void megabytesCrossInBothDirectionsIntact() throws Exception {
        TestCertificates.Certificate a = TestCertificates.make(dir, "a.test", "a.test");
        byte[] upload = new byte[3 * 1024 * 1024 + 17];
        byte[] download = new byte[5 * 1024 * 1024 + 3];
        java.util.Random random = new java.util.Random(7);
        random.nextBytes(upload);
        random.nextBytes(download);
        if (!started(Tls.builder().certificate(a.certificate(), a.key()), request -> ScriptedResponse.ok("")
                .withBody(download).withHeader("X-Received-Sha256", sha256(request.bodyBytes())))) {
            return;
        }
        HttpClient client = HttpClient.newBuilder().sslContext(TestCertificates.trusting(a.x509())).build();

        HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(URI.create(
                        "https://127.0.0.1:" + gateway.tlsPort() + "/big"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(upload)).build(), HttpResponse.BodyHandlers.ofByteArray());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Received-Sha256")).hasValue(sha256(upload));
        assertThat(sha256(response.body())).isEqualTo(sha256(download));
    }

    private static String sha256(byte[] bytes) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void curlWithTheCertificateAsItsCaGetsAnAnswer() throws Exception {
        assumeThat(Files.isExecutable(Path.of("/usr/bin/curl"))).as("curl is installed").isTrue();
        TestCertificates.Certificate a = TestCertificates.make(dir, "a.test", "a.test");
        if (!started(Tls.builder().certificate(a.certificate(), a.key()))) {
            return;
        }
        int port = gateway.tlsPort();
        Process curl = new ProcessBuilder("/usr/bin/curl", "-sS", "--max-time", "20", "--cacert",
                a.certificate().toString(), "--resolve", "a.test:" + port + ":127.0.0.1",
                "https://a.test:" + port + "/curl").redirectErrorStream(true).start();
        String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(curl.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(output).isEqualTo("/curl https");
        assertThat(curl.exitValue()).isZero();
    }

    @Test
    void speaksTls12AndTls13AndAnswersAlpnWithHttp11() throws Exception {
        TestCertificates.Certificate a = TestCertificates.make(dir, "a.test", "a.test");
        if (!started(Tls.builder().certificate(a.certificate(), a.key()))) {
            return;
        }
        SSLContext context = TestCertificates.trusting(a.x509());
        for (String protocol : new String[] {"TLSv1.2", "TLSv1.3"}) {
            try (SSLSocket socket = connect(context, "a.test", protocol, "h2", "http/1.1")) {
                assertThat(socket.getSession().getProtocol()).isEqualTo(protocol);
                assertThat(socket.getApplicationProtocol()).isEqualTo("http/1.1");
                assertThat(exchange(socket, "/" + protocol)).isEqualTo("/" + protocol + " https");
            }
        }
    }

    @Test
    void theClientsSniNamePicksTheCertificateAndTheFirstOneIsTheDefault() throws Exception {
        TestCertificates.Certificate a = TestCertificates.make(dir, "a.test", "a.test");
        TestCertificates.Certificate b = TestCertificates.make(dir, "b.test", "b.test", "*.b.test");
        if (!started(Tls.builder().certificate(a.certificate(), a.key()).certificate(b.certificate(), b.key()))) {
            return;
        }
        String[] names = {"b.test", "www.b.test", "a.test", "unknown.test", null};
        X509Certificate[] expected = {b.x509(), b.x509(), a.x509(), a.x509(), a.x509()};

        for (int i = 0; i < names.length; i++) {
            // a context of its own each time, so no session is resumed across names
            try (SSLSocket socket = connect(TestCertificates.trusting(a.x509(), b.x509()), names[i], null)) {
                assertThat(peer(socket)).as("name %s", names[i]).isEqualTo(expected[i]);
            }
        }
    }

    @Test
    void aChangedCertificateServesNewHandshakesWhileOpenConnectionsGoOn() throws Exception {
        TestCertificates.Certificate first = TestCertificates.make(dir, "a.test", "a.test");
        if (!started(Tls.builder().certificate(first.certificate(), first.key()))) {
            return;
        }
        Path other = Files.createDirectory(dir.resolve("renewed"));
        TestCertificates.Certificate renewed = TestCertificates.make(other, "a.test", "a.test");
        SSLContext context = TestCertificates.trusting(first.x509(), renewed.x509());
        try (SSLSocket open = connect(context, "a.test", null)) {
            assertThat(exchange(open, "/before")).isEqualTo("/before https");

            TestCertificates.writeAtomically(first.key(), Files.readString(renewed.key()));
            TestCertificates.writeAtomically(first.certificate(), Files.readString(renewed.certificate()));

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                try (SSLSocket fresh = connect(context, "a.test", null)) {
                    assertThat(peer(fresh)).isEqualTo(renewed.x509());
                }
            });
            assertThat(exchange(open, "/after")).isEqualTo("/after https");
            assertThat(peer(open)).isEqualTo(first.x509());
        }
        assertThat(counter("longshore.gateway.tls.certificate.reloads")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aBadHandshakeIsCountedAndClosesOnlyItsOwnConnection() throws Exception {
        TestCertificates.Certificate a = TestCertificates.make(dir, "a.test", "a.test");
        if (!started(Tls.builder().certificate(a.certificate(), a.key()))) {
            return;
        }
        SSLContext context = TestCertificates.trusting(a.x509());
        try (SSLSocket good = connect(context, "a.test", null); Socket plain = new Socket("127.0.0.1", gateway.tlsPort())) {
            plain.setSoTimeout(10_000);
            plain.getOutputStream().write("GET / HTTP/1.1\r\nHost: a.test\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            List<Integer> bytes = new ArrayList<>();
            try {
                for (int b = plain.getInputStream().read(); b >= 0; b = plain.getInputStream().read()) {
                    bytes.add(b); // a TLS alert, perhaps, then the end
                }
            } catch (IOException reset) {
                // a reset ends it too
            }

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(counter("longshore.gateway.tls.handshake.failures")).isEqualTo(1));
            assertThat(exchange(good, "/still")).isEqualTo("/still https");
        }
    }

    @Test
    void aPkcs12KeyStoreServesAsWell() throws Exception {
        TestCertificates.Certificate a = TestCertificates.make(dir, "a.test", "a.test");
        if (!started(Tls.builder().keyStore(a.keyStore(), TestCertificates.PASSWORD))) {
            return;
        }
        try (SSLSocket socket = connect(TestCertificates.trusting(a.x509()), "a.test", "TLSv1.3")) {
            assertThat(peer(socket)).isEqualTo(a.x509());
            assertThat(exchange(socket, "/p12")).isEqualTo("/p12 https");
        }
    }

    @Test
    void aMissingKeyFileFailsTheStartNamingIt() throws Exception {
        TestCertificates.Certificate a = TestCertificates.make(dir, "a.test", "a.test");
        Path missing = dir.resolve("nowhere.key.pem");
        backend = ScriptedBackend.answering("ok");
        GatewayBuilder builder = Gateway.builder().router(new RoundRobinTestRouter(backend.port()))
                .tls(Tls.builder().port(0).certificate(a.certificate(), missing).build());
        if (transport == Transport.EMBEDDED) {
            assertThatThrownBy(() -> builder.embedded().build()).isInstanceOf(ConfigurationException.class);
            return;
        }
        Gateway built = builder.port(0).adminEnabled(false).build();

        assertThatThrownBy(built::start).hasStackTraceContaining("nowhere.key.pem");
    }

    @Test
    void aCertificateThatCannotBeReadFailsTheStartBeforeAnyOwnedOrchestratorStarts() throws Exception {
        TestCertificates.Certificate a = TestCertificates.make(dir, "a.test", "a.test");
        Path missing = dir.resolve("nowhere.pem");
        backend = ScriptedBackend.answering("ok");
        FakeOrchestrator owned = new FakeOrchestrator("acts", new RoundRobinTestRouter(backend.port()));
        assumeThat(transport).as("embedded: the host server's connector holds the certificate")
                .isEqualTo(Transport.STANDALONE);
        Gateway built = Gateway.builder().route("/", owned, Ownership.OWNED).port(0).adminEnabled(false)
                .tls(Tls.builder().port(0).certificate(missing, a.key()).build()).build();

        assertThatThrownBy(built::start).isInstanceOf(OrchestratorException.class)
                .hasMessageContaining("gateway failed to start").hasMessageContaining("NoSuchFileException")
                .hasMessageContaining("nowhere.pem");
        assertThat(owned.starts).hasValue(0);
    }
}
