package io.longshore.jetty;

import io.longshore.api.internal.Checks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * TLS termination on a listener of the gateway's own, beside the plain one: certificates and
 * keys from PEM files (or PKCS12 key stores), TLS 1.2 and 1.3, ALPN {@code http/1.1}, the
 * certificate chosen by the client's SNI name among several (the first one given when no name
 * matches or none is sent), and the files checked for changes every
 * {@link Builder#reloadInterval reload interval}: a changed certificate is used for new
 * handshakes without dropping the connections open. Requests that came over TLS reach the
 * replica with {@code X-Forwarded-Proto: https}. The costly part of each handshake (key
 * exchange, signature) runs off the event loops, on {@link Builder#handshakeExecutor a pool of
 * its own}, so a burst of new clients does not hold up the requests of the connected ones.
 * The records are encrypted by {@link Builder#provider the TLS implementation} chosen: BoringSSL
 * through Conscrypt when the application has it on its class path, else the JDK's own.
 * Give it to {@link GatewayBuilder#tls(Tls)};
 * standalone only (an embedded gateway's host server terminates TLS itself). Immutable.
 */
public final class Tls {
    /** The TLS listener's port unless told otherwise. */
    public static final int DEFAULT_PORT = 8443;
    /** How often the certificate and key files are checked for changes. */
    public static final Duration DEFAULT_RELOAD_INTERVAL = Duration.ofSeconds(2);

    /** One certificate and its key: PEM files, or a PKCS12 key store (every key entry in it). */
    public record Source(Path certificateChain, Path privateKey, Path keyStore, String keyStorePassword) {
        public Source {
            if (keyStore == null) {
                Objects.requireNonNull(certificateChain, "certificateChain");
                Objects.requireNonNull(privateKey, "privateKey");
            } else {
                Objects.requireNonNull(keyStorePassword, "keyStorePassword");
            }
        }

        /** The files whose changes make the gateway load the certificate again. */
        public List<Path> files() {
            return keyStore != null ? List.of(keyStore) : List.of(certificateChain, privateKey);
        }

        @Override
        public String toString() {
            return keyStore != null ? "key store " + keyStore : "certificate " + certificateChain + " with key " + privateKey;
        }
    }

    /**
     * The implementation that terminates TLS. Conscrypt ({@code org.conscrypt:conscrypt-openjdk-uber},
     * BoringSSL through JNI) encrypts and decrypts records in native code without allocating on
     * the Java heap; the JDK's own allocates 2–4 KB per small request, which keeps a
     * collector busy beside the event loops. Both give the same protocols, ciphers, SNI, ALPN
     * and reloads.
     */
    public enum Provider {
        /** Conscrypt when it is on the class path and its native library loads here; else the JDK's. */
        AUTO,
        /** The JDK's own ({@code SunJSSE}), whatever else is on the class path. */
        JDK,
        /** Conscrypt; the gateway does not start when it is missing or its native library does not load. */
        CONSCRYPT
    }

    private final int port;
    private final Provider provider;
    private final List<Source> sources;
    private final Duration reloadInterval;
    private final Executor handshakeExecutor;

    private Tls(Builder builder) {
        this.port = builder.port;
        this.provider = builder.provider;
        this.sources = List.copyOf(builder.sources);
        this.reloadInterval = builder.reloadInterval;
        this.handshakeExecutor = builder.handshakeExecutor;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The TLS listener's port; 0 picks a free one (read it back with {@link Gateway#tlsPort()}). */
    public int port() {
        return port;
    }

    /** The implementation asked for ({@link Provider#AUTO} unless told otherwise). */
    public Provider provider() {
        return provider;
    }

    /** The certificates in the order given; the first one is used when no SNI name matches. */
    public List<Source> sources() {
        return sources;
    }

    public Duration reloadInterval() {
        return reloadInterval;
    }

    /** Where handshakes are computed; empty for the gateway's own pool ({@link Builder#handshakeExecutor}). */
    public Optional<Executor> handshakeExecutor() {
        return Optional.ofNullable(handshakeExecutor);
    }

    @Override
    public String toString() {
        return "TLS on port " + port + " (" + provider + ") with " + sources;
    }

    /** Assembles a {@link Tls}; each setter checks its argument. Not thread-safe. */
    public static final class Builder {
        private int port = DEFAULT_PORT;
        private Provider provider = Provider.AUTO;
        private final List<Source> sources = new ArrayList<>();
        private Duration reloadInterval = DEFAULT_RELOAD_INTERVAL;
        private Executor handshakeExecutor;

        private Builder() {
        }

        /** The TLS listener's port ({@value #DEFAULT_PORT} by default; 0 for any free one). */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be in 0..65535, was " + port);
            }
            this.port = port;
            return this;
        }

        /** Which implementation terminates TLS ({@link Provider#AUTO} by default). */
        public Builder provider(Provider provider) {
            this.provider = Objects.requireNonNull(provider, "provider");
            return this;
        }

        /**
         * A certificate chain (PEM: the server's certificate first, then its intermediates) and
         * its private key (PEM: PKCS#8 {@code BEGIN PRIVATE KEY}, RSA or EC, or PKCS#1
         * {@code BEGIN RSA PRIVATE KEY}; not encrypted). Several may be given: the client's SNI
         * name picks among them by their DNS names, the first is the default.
         */
        public Builder certificate(Path certificateChain, Path privateKey) {
            sources.add(new Source(Objects.requireNonNull(certificateChain, "certificateChain"),
                    Objects.requireNonNull(privateKey, "privateKey"), null, null));
            return this;
        }

        /** Every key entry of a PKCS12 key store (all protected by {@code password}) as certificates. */
        public Builder keyStore(Path pkcs12, String password) {
            sources.add(new Source(null, null, Objects.requireNonNull(pkcs12, "pkcs12"),
                    Objects.requireNonNull(password, "password")));
            return this;
        }

        /** How often the files are checked for changes ({@link #DEFAULT_RELOAD_INTERVAL} by default). */
        public Builder reloadInterval(Duration interval) {
            this.reloadInterval = Checks.requirePositive(Objects.requireNonNull(interval, "reloadInterval"), "reloadInterval");
            return this;
        }

        /**
         * Where the costly steps of each handshake run (with the JDK, its delegated tasks: key
         * exchange, signature, certificate choice; with Conscrypt, the step that takes the client's
         * hello, in which BoringSSL computes its answer); the event loop goes on serving other connections
         * meanwhile and finishes the handshake when its task is done. By default the gateway's
         * own pool of daemon threads, one per available processor, started and stopped with
         * the gateway; one given here is the caller's to shut down.
         */
        public Builder handshakeExecutor(Executor executor) {
            this.handshakeExecutor = Objects.requireNonNull(executor, "handshakeExecutor");
            return this;
        }

        /** Checks that a certificate was given; the files are read when the gateway starts. */
        public Tls build() {
            if (sources.isEmpty()) {
                throw new IllegalArgumentException("TLS needs at least one certificate (certificate(chain, key) or keyStore)");
            }
            return new Tls(this);
        }
    }
}
