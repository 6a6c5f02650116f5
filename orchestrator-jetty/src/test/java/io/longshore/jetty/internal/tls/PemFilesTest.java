package io.longshore.jetty.internal.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemFilesTest {
    @TempDir
    Path dir;

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder().encodeToString(der) + "\n-----END " + type
                + "-----\n";
    }

    @Test
    void readsAPkcs1RsaKeyAsThePkcs8KeyItWasTakenFrom() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(1024);
        KeyPair pair = generator.generateKeyPair();
        byte[] pkcs8 = pair.getPrivate().getEncoded();
        // PKCS#8 = SEQUENCE { INTEGER 0, AlgorithmIdentifier (15 bytes), OCTET STRING { PKCS#1 } }: 4+3+15+4 = 26 bytes in
        byte[] pkcs1 = Arrays.copyOfRange(pkcs8, 26, pkcs8.length);
        Path file = Files.writeString(dir.resolve("rsa.pem"), "junk before\n" + pem("RSA PRIVATE KEY", pkcs1));

        assertThat(PemFiles.wrapRsa(pkcs1)).isEqualTo(pkcs8);
        assertThat(PemFiles.privateKey(file)).isEqualTo(pair.getPrivate());
    }

    @Test
    void readsAPkcs8EcKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        KeyPair pair = generator.generateKeyPair();
        Path file = Files.writeString(dir.resolve("ec.pem"), pem("PRIVATE KEY", pair.getPrivate().getEncoded()));

        assertThat(PemFiles.privateKey(file)).isEqualTo(pair.getPrivate());
    }

    @Test
    void saysWhatIsWrongWithAFileThatHoldsNoUsableKeyOrCertificate() throws Exception {
        Path encrypted = Files.writeString(dir.resolve("enc.pem"), pem("ENCRYPTED PRIVATE KEY", new byte[] {1, 2}));
        Path empty = Files.writeString(dir.resolve("empty.pem"), "nothing here\n");

        assertThatThrownBy(() -> PemFiles.privateKey(encrypted)).hasMessageContaining("enc.pem")
                .hasMessageContaining("encrypted");
        assertThatThrownBy(() -> PemFiles.privateKey(empty)).hasMessageContaining("no PEM private key");
        assertThatThrownBy(() -> PemFiles.certificates(empty)).hasMessageContaining("empty.pem");
    }
}
