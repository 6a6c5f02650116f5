package io.longshore.jetty.internal.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.longshore.jetty.Tls;
import io.longshore.testkit.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A certificate renewed as two files, the key first and then the certificate: the gateway loads
 * the pair only once both are new, never the new key beside the old certificate (which every
 * handshake would refuse until the next reload); a key that does not match its certificate fails
 * the start naming both files. The reload check is called directly, no timer.
 */
class TlsTerminatorReloadTest {
    @TempDir
    Path dir;
    private TlsTerminator terminator;

    @AfterEach
    void stop() {
        if (terminator != null) {
            terminator.stop();
        }
    }

    private static TlsTerminator terminator(Path certificate, Path key) {
        return new TlsTerminator(Tls.builder().port(0).provider(Tls.Provider.JDK).certificate(certificate, key).build(),
                false);
    }

    @Test
    void aRenewedPairIsLoadedOnlyOnceItsCertificateFollowedItsKey() throws Exception {
        TestCertificates.Certificate current = TestCertificates.make(dir, "a.test", "a.test");
        TestCertificates.Certificate renewed = TestCertificates.make(Files.createDirectory(dir.resolve("renewed")),
                "a.test", "a.test");
        terminator = terminator(current.certificate(), current.key());
        terminator.start(null);

        TestCertificates.writeAtomically(current.key(), Files.readString(renewed.key()));
        terminator.checkForChanges();
        assertThat(terminator.reloads()).as("the new key beside the old certificate").isZero();

        TestCertificates.writeAtomically(current.certificate(), Files.readString(renewed.certificate()));
        terminator.checkForChanges();
        assertThat(terminator.reloads()).as("both files new").isEqualTo(1);
    }

    @Test
    void aKeyThatIsNotTheCertificatesFailsTheStartNamingBothFiles() throws Exception {
        TestCertificates.Certificate a = TestCertificates.make(dir, "a.test", "a.test");
        TestCertificates.Certificate b = TestCertificates.make(Files.createDirectory(dir.resolve("b")), "b.test", "b.test");
        terminator = terminator(a.certificate(), b.key());

        assertThatThrownBy(() -> terminator.start(null)).hasMessageContaining(b.key().toString())
                .hasMessageContaining(a.certificate().toString()).hasMessageContaining("does not hold the private key");
    }

    @Test
    void aKeyMatchesItsOwnCertificateOnlyWhateverItsType() throws Exception {
        TestCertificates.Certificate a = TestCertificates.make(dir, "a.test", "a.test");
        TestCertificates.Certificate b = TestCertificates.make(Files.createDirectory(dir.resolve("b")), "b.test", "b.test");
        PrivateKey aKey = PemFiles.privateKey(a.key());
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);

        assertThat(KeyMatch.matches(aKey, a.x509())).isTrue();
        assertThat(KeyMatch.matches(aKey, b.x509())).isFalse();
        assertThat(KeyMatch.matches(rsa.generateKeyPair().getPrivate(), a.x509())).isFalse();
    }
}
