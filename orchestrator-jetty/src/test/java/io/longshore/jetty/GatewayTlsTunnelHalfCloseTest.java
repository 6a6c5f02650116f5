package io.longshore.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import io.longshore.testkit.TestCertificates;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client's half-close through a tunnel on the TLS listener: with the JDK's provider, a TLS 1.3
 * client that ends its sending ({@code close_notify}, {@code SSLSocket.shutdownOutput}) still
 * gets what the replica sends after reading that end, as on the plain listener. (With Conscrypt
 * the same client gets the end of the stream without the answer: the tunnel ends both ways, as
 * docs/gateway.md says.)
 */
class GatewayTlsTunnelHalfCloseTest {
    @TempDir
    Path dir;
    private ServerSocket replica;
    private Gateway gateway;

    @AfterEach
    void stop() throws IOException {
        if (gateway != null) {
            gateway.close();
        }
        if (replica != null) {
            replica.close();
        }
    }

    /** A replica that switches to a raw protocol, reads the client's bytes to their end, answers {@code got:} and them, and closes. */
    private void startReplica() throws IOException {
        replica = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread serving = new Thread(() -> {
            try (Socket socket = replica.accept()) {
                InputStream in = socket.getInputStream();
                head(in);
                OutputStream out = socket.getOutputStream();
                out.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: raw\r\nConnection: Upgrade\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                byte[] received = in.readAllBytes();
                out.write(("got:" + new String(received, StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException e) {
                // the test ended
            }
        }, "raw-replica");
        serving.setDaemon(true);
        serving.start();
    }

    private static String head(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed in the head: " + head);
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    @Test
    void aTls13ClientThatEndsItsSendingStillGetsTheReplicasAnswerWithTheJdkProvider() throws Exception {
        startReplica();
        TestCertificates.Certificate certificate = TestCertificates.make(dir, "localhost", "localhost");
        gateway = Gateway.builder().router(new RoundRobinTestRouter(replica.getLocalPort()))
                .tls(Tls.builder().port(0).provider(Tls.Provider.JDK)
                        .certificate(certificate.certificate(), certificate.key()).build())
                .port(0).adminEnabled(false).ioThreads(1).build().start();

        try (SSLSocket client = (SSLSocket) TestCertificates.trusting(certificate.x509()).getSocketFactory()
                .createSocket("localhost", gateway.tlsPort())) {
            client.setEnabledProtocols(new String[] {"TLSv1.3"});
            client.setSoTimeout(10_000);
            client.getOutputStream().write("GET /raw HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\nUpgrade: raw\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(head(client.getInputStream())).startsWith("HTTP/1.1 101");
            client.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
            client.shutdownOutput();

            assertThat(new String(client.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                    .isEqualTo("got:hello");
        }
    }
}
