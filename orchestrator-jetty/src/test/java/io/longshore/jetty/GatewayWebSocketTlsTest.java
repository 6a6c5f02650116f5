package io.longshore.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.longshore.testkit.TestCertificates;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * WebSockets over the TLS listener ({@code wss:}), with either provider: the tunnel runs on the
 * decrypting end of the client's TLS connection, so messages of every size, in both directions,
 * and close codes cross it as they do in the clear.
 */
@ParameterizedClass
@EnumSource(value = Tls.Provider.class, names = {"JDK", "CONSCRYPT"})
class GatewayWebSocketTlsTest {
    @Parameter
    Tls.Provider provider;
    @TempDir
    Path dir;
    private EchoWebSocketServer replica;
    private Gateway gateway;
    private HttpClient http;

    @BeforeEach
    void start() throws Exception {
        TestCertificates.Certificate certificate = TestCertificates.make(dir, "localhost", "localhost");
        replica = new EchoWebSocketServer();
        gateway = Gateway.builder().router(new RoundRobinTestRouter(replica.port()))
                .tls(Tls.builder().port(0).provider(provider).certificate(certificate.certificate(), certificate.key()).build())
                .port(0).adminEnabled(false).ioThreads(1).build().start();
        http = HttpClient.newBuilder().sslContext(TestCertificates.trusting(certificate.x509())).build();
    }

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (replica != null) {
            replica.close();
        }
    }

    private WebSocketClient open() {
        return WebSocketClient.open(http, URI.create("wss://localhost:" + gateway.tlsPort() + "/echo"));
    }

    @Test
    void echoesSmallAndOneMegabyteMessagesBothWays() throws Exception {
        WebSocketClient socket = open();
        String text = "x".repeat(1 << 20);
        byte[] binary = new byte[1 << 20];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) (i * 31 + 7);
        }

        socket.send("hello");
        socket.send(new byte[] {1, 2, 3, (byte) 0xff});
        socket.send(text);
        socket.send(binary);

        assertThat(socket.next()).isEqualTo("hello");
        assertThat((byte[]) socket.next()).containsExactly(1, 2, 3, 0xff);
        assertThat(socket.next()).isEqualTo(text);
        assertThat((byte[]) socket.next()).isEqualTo(binary);
        socket.socket().sendClose(WebSocket.NORMAL_CLOSURE, "").join();
        assertThat(socket.ended().get(10, TimeUnit.SECONDS)).isEqualTo(WebSocket.NORMAL_CLOSURE);
    }

    @Test
    void closeCodesAreRelayedBothWays() throws Exception {
        WebSocketClient fromClient = open();
        WebSocketClient fromReplica = open();

        fromClient.socket().sendClose(4001, "bye").join();
        fromReplica.send("close:4002");

        assertThat(fromReplica.ended().get(10, TimeUnit.SECONDS)).isEqualTo(4002);
        fromClient.ended().get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(replica.closeCodes()).contains(4001));
    }
}
