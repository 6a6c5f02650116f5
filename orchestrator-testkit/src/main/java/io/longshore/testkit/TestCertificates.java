package io.longshore.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Self-signed certificates made for a test with the JDK's {@code keytool} (EC P-256, valid two
 * days, the DNS names given and 127.0.0.1), written as PEM (certificate, PKCS#8 key) and PKCS12,
 * and client contexts that trust them. Throw-away keys: nothing of them is ever committed.
 * Stateless.
 */
public final class TestCertificates {
    /** The PKCS12 key store's password. */
    public static final String PASSWORD = "changeit";

    /**
     * One certificate's files.
     *
     * @param certificate its PEM certificate
     * @param key         its PEM private key (PKCS#8)
     * @param keyStore    both in a PKCS12 key store protected by {@link #PASSWORD}
     * @param x509        the certificate itself
     */
    public record Certificate(Path certificate, Path key, Path keyStore, X509Certificate x509) {
    }

    private TestCertificates() {
    }

    /**
     * Makes a certificate for {@code name} (its CN) and the {@code dnsNames} (and 127.0.0.1) in
     * {@code dir}: the PEM files as {@code name.crt.pem} and {@code name.key.pem}, the key store in a
     * new directory of {@code dir} (so making one name again never reuses a store).
     */
    public static Certificate make(Path dir, String name, String... dnsNames) throws Exception {
        // a directory of its own, made unique by the file system (keytool refuses an existing, empty store file)
        Path store = Files.createTempDirectory(dir, name + "-").resolve(name + ".p12");
        StringBuilder san = new StringBuilder("SAN=ip:127.0.0.1");
        for (String dns : dnsNames) {
            san.append(",dns:").append(dns);
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name,
                "-ext", san.toString(), "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD));
        Process keytool = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = java.nio.file.Files.newInputStream(store)) {
            keyStore.load(in, PASSWORD.toCharArray());
        }
        PrivateKey key = (PrivateKey) keyStore.getKey("server", PASSWORD.toCharArray());
        X509Certificate certificate = (X509Certificate) keyStore.getCertificate("server");
        Path certificatePem = dir.resolve(name + ".crt.pem");
        Path keyPem = dir.resolve(name + ".key.pem");
        writeAtomically(certificatePem, pem("CERTIFICATE", certificate.getEncoded()));
        writeAtomically(keyPem, pem("PRIVATE KEY", key.getEncoded()));
        return new Certificate(certificatePem, keyPem, store, certificate);
    }

    /** {@code der} as a PEM block of {@code type}. */
    public static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** Writes {@code text} to a temporary file beside {@code file}, then moves it over it. */
    public static void writeAtomically(Path file, String text) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        java.nio.file.Files.writeString(temporary, text);
        java.nio.file.Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** A client context that trusts exactly {@code certificates}. */
    public static SSLContext trusting(java.security.cert.Certificate... certificates) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        for (int i = 0; i < certificates.length; i++) {
            trust.setCertificateEntry("trusted-" + i, certificates[i]);
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
