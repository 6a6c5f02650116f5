package io.longshore.jetty.internal.tls;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.cert.Certificate;

/**
 * Whether a private key belongs to a certificate: a short message signed with the key verifies
 * with the certificate's public key. Certificates are renewed by writing a key file and a
 * certificate file, one after the other; a reload between the two would otherwise pair the new
 * key with the old certificate, and every handshake would fail until the next reload. Stateless.
 */
final class KeyMatch {
    private static final byte[] MESSAGE = "longshore: does this key sign for that certificate?"
            .getBytes(StandardCharsets.US_ASCII);

    private KeyMatch() {
    }

    /** Whether {@code key} is the private key of {@code certificate}'s public key (true for a key type it cannot test). */
    static boolean matches(PrivateKey key, Certificate certificate) throws GeneralSecurityException {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
            default -> null;
        };
        if (algorithm == null) {
            return true; // the handshake tells
        }
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(MESSAGE);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        try {
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(MESSAGE);
            return verifier.verify(signature);
        } catch (InvalidKeyException | SignatureException e) {
            return false; // a public key of another type, or a signature it cannot even parse
        }
    }
}
