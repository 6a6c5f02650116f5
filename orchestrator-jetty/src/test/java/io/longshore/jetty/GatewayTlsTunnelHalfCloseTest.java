package io.longshore.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import io.longshore.testkit.TestCertificates;
import java.io.IOException;
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
    private RawUpgradeReplica replica;
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

    @Test
    void aTls13ClientThatEndsItsSendingStillGetsTheReplicasAnswerWithTheJdkProvider() throws Exception {
        replica = RawUpgradeReplica.start(true);
        TestCertificates.Certificate certificate = TestCertificates.make(dir, "localhost", "localhost");
        gateway = Gateway.builder().router(new RoundRobinTestRouter(replica.port()))
                .tls(Tls.builder().port(0).provider(Tls.Provider.JDK)
                        .certificate(certificate.certificate(), certificate.key()).build())
                .port(0).adminEnabled(false).ioThreads(1).build().start();

        try (SSLSocket client = (SSLSocket) TestCertificates.trusting(certificate.x509()).getSocketFactory()
                .createSocket("localhost", gateway.tlsPort())) {
            client.setEnabledProtocols(new String[] {"TLSv1.3"});
            client.setSoTimeout(10_000);
            client.getOutputStream().write(RawUpgradeReplica.UPGRADE.getBytes(StandardCharsets.US_ASCII));
            assertThat(RawUpgradeReplica.head(client.getInputStream())).startsWith("HTTP/1.1 101");
            client.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
            client.shutdownOutput();

            assertThat(new String(client.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                    .isEqualTo("got:hello");
        }
    }
}
