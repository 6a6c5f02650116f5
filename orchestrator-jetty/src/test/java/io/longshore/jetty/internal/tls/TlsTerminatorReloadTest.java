package io.longshore.jetty.internal.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.longshore.jetty.Tls;
import io.longshore.testkit.TestCertificates;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.Key;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Security;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A certificate renewed as two files, the key first and then the certificate: the gateway loads
 * the pair only once both are new, never the new key beside the old certificate (which every
 * handshake would refuse until the next reload); a key that does not match its certificate fails
 * the start naming both files. A reload that fails leaves the certificate SNI picks for each
 * name exactly as it was: the certificates of a reload take effect together with their aliases
 * or not at all. The reload check is called directly, no timer; handshakes run in memory
 * between two engines.
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

    @Test
    void aRenewedKeyStoreNoContextCanBeMadeOfLeavesSniChoosingAsBefore() throws Exception {
        TestCertificates.Certificate a = TestCertificates.make(dir, "a.test", "a.test");
        TestCertificates.Certificate b = TestCertificates.make(Files.createDirectory(dir.resolve("b")), "b.test", "b.test");
        TestCertificates.Certificate renewed = TestCertificates.make(Files.createDirectory(dir.resolve("renewed")),
                "b.test", "b.test");
        Path store = dir.resolve("b.p12");
        Files.copy(b.keyStore(), store);
        ContextProvider contexts = new ContextProvider();
        terminator = new TlsTerminator(Tls.builder().port(0).certificate(a.certificate(), a.key())
                .keyStore(store, TestCertificates.PASSWORD).build(), false,
                new TlsProviders.Resolved(Optional.of(contexts), "test"));
        terminator.start(null);
        SSLContext client = TestCertificates.trusting(a.x509(), b.x509(), renewed.x509());
        Map<String, X509Certificate> before = Map.of("a.test", a.x509(), "b.test", b.x509(), "other.test", a.x509());
        assertThat(served(client, before.keySet())).isEqualTo(before);

        // the renewal comes under another alias, and this time no context can be made of it
        copyUnderAlias(renewed.keyStore(), store, "renewed");
        contexts.refuse = true;
        terminator.checkForChanges();
        contexts.refuse = false;

        assertThat(terminator.reloads()).isZero();
        assertThat(served(client, before.keySet())).isEqualTo(before);
        // the same files load at the next check once a context can be made of them
        terminator.checkForChanges();
        assertThat(terminator.reloads()).isEqualTo(1);
        assertThat(served(client, List.of("b.test")).get("b.test")).isEqualTo(renewed.x509());
    }

    /** The certificate the server shows a client asking for each name. */
    private Map<String, X509Certificate> served(SSLContext client, Iterable<String> names) throws Exception {
        Map<String, X509Certificate> shown = new TreeMap<>();
        for (String name : names) {
            SSLEngine engine = client.createSSLEngine(name, 443);
            engine.setUseClientMode(true);
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName(name)));
            engine.setSSLParameters(parameters);
            handshake(engine, terminator.newEngine(null));
            shown.put(name, (X509Certificate) engine.getSession().getPeerCertificates()[0]);
        }
        return shown;
    }

    /** Runs the handshake between the two engines to its end, records passed in memory. */
    private static void handshake(SSLEngine client, SSLEngine server) throws Exception {
        ByteBuffer toServer = ByteBuffer.allocate(1 << 17);
        ByteBuffer toClient = ByteBuffer.allocate(1 << 17);
        client.beginHandshake();
        server.beginHandshake();
        for (int steps = 0; steps < 1000 && !(done(client) && done(server)); steps++) {
            step(client, toClient, toServer);
            step(server, toServer, toClient);
        }
        assertThat(done(client) && done(server)).as("the handshake ended").isTrue();
    }

    private static boolean done(SSLEngine engine) {
        HandshakeStatus status = engine.getHandshakeStatus();
        return status == HandshakeStatus.NOT_HANDSHAKING || status == HandshakeStatus.FINISHED;
    }

    private static void step(SSLEngine engine, ByteBuffer in, ByteBuffer out) throws Exception {
        ByteBuffer application = ByteBuffer.allocate(1 << 17);
        switch (engine.getHandshakeStatus()) {
            case NEED_TASK -> {
                for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
                    task.run();
                }
            }
            case NEED_WRAP -> engine.wrap(ByteBuffer.allocate(0), out);
            case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                in.flip();
                engine.unwrap(in, application);
                in.compact();
            }
            default -> {
            }
        }
    }

    /** Writes the key entry of {@code from} into {@code to} under {@code alias}. */
    private static void copyUnderAlias(Path from, Path to, String alias) throws Exception {
        KeyStore given = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(from)) {
            given.load(in, TestCertificates.PASSWORD.toCharArray());
        }
        Key key = given.getKey("server", TestCertificates.PASSWORD.toCharArray());
        KeyStore renamed = KeyStore.getInstance("PKCS12");
        renamed.load(null, null);
        renamed.setKeyEntry(alias, key, TestCertificates.PASSWORD.toCharArray(),
                given.getCertificateChain("server"));
        Path written = Files.createTempFile(to.getParent(), "store", ".p12");
        try (OutputStream out = Files.newOutputStream(written)) {
            renamed.store(out, TestCertificates.PASSWORD.toCharArray());
        }
        Files.move(written, to, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The JDK's TLS contexts, refused while {@link #refuse} is set: a context that cannot be made. */
    private static final class ContextProvider extends Provider {
        volatile boolean refuse;

        ContextProvider() {
            super("ContextProvider", "1", "the JDK's TLS contexts, or none");
            Provider.Service jdk = Security.getProvider("SunJSSE").getService("SSLContext", "TLS");
            putService(new Provider.Service(this, "SSLContext", "TLS", jdk.getClassName(), null, null) {
                @Override
                public Object newInstance(Object parameter) throws NoSuchAlgorithmException {
                    if (refuse) {
                        throw new NoSuchAlgorithmException("no TLS context today");
                    }
                    return jdk.newInstance(parameter);
                }
            });
        }
    }
}
