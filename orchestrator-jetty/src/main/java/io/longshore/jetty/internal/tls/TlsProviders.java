package io.longshore.jetty.internal.tls;

import io.longshore.jetty.Tls;
import java.security.Provider;
import java.util.Optional;

/**
 * Resolves {@link Tls.Provider} to the JSSE provider whose engines terminate TLS: Conscrypt's,
 * made for the gateway alone (never installed in {@link java.security.Security}, so the rest of
 * the application keeps its own), or none for the JDK's default. Conscrypt is an optional
 * dependency: this class names it only through {@link Conscrypt}, loaded when it is on the class
 * path. Stateless.
 */
public final class TlsProviders {
    private TlsProviders() {
    }

    /** What was resolved: the provider (empty for the JDK's) and its name for logs and status. */
    public record Resolved(Optional<Provider> provider, String name) {
        /** Whether the engines compute the handshake inside wrap and unwrap, with no delegated tasks. */
        public boolean computesInEngineCalls() {
            return provider.isPresent();
        }
    }

    /**
     * The provider for {@code asked}, with {@code classLoader} the loader to look for Conscrypt in.
     *
     * @throws IllegalStateException for {@link Tls.Provider#CONSCRYPT} when Conscrypt is missing or
     *                               its native library does not load, saying which
     */
    public static Resolved resolve(Tls.Provider asked, ClassLoader classLoader) {
        if (asked == Tls.Provider.JDK) {
            return jdk();
        }
        Optional<String> missing = missing(classLoader);
        if (missing.isEmpty()) {
            Provider conscrypt = Conscrypt.newProvider();
            return new Resolved(Optional.of(conscrypt), conscrypt.getName() + " " + Conscrypt.version());
        }
        if (asked == Tls.Provider.CONSCRYPT) {
            throw new IllegalStateException("TLS provider CONSCRYPT asked for, but " + missing.get());
        }
        return jdk();
    }

    private static Resolved jdk() {
        return new Resolved(Optional.empty(), "JDK " + System.getProperty("java.version"));
    }

    /** Why Conscrypt cannot be used here; empty when it can. */
    private static Optional<String> missing(ClassLoader classLoader) {
        try {
            Class.forName("org.conscrypt.Conscrypt", false, classLoader);
        } catch (ClassNotFoundException | LinkageError e) {
            return Optional.of("Conscrypt is not on the class path (add org.conscrypt:conscrypt-openjdk-uber)");
        }
        return Conscrypt.unavailable();
    }

    /** The only place that names Conscrypt's classes; loaded once they are known to be there. */
    private static final class Conscrypt {
        private Conscrypt() {
        }

        static Optional<String> unavailable() {
            try {
                org.conscrypt.Conscrypt.checkAvailability();
                return Optional.empty();
            } catch (Throwable e) {
                return Optional.of("Conscrypt's native library does not load on this platform: " + e);
            }
        }

        static Provider newProvider() {
            return org.conscrypt.Conscrypt.newProvider();
        }

        static String version() {
            org.conscrypt.Conscrypt.Version version = org.conscrypt.Conscrypt.version();
            return version == null ? "" : version.major() + "." + version.minor() + "." + version.patch();
        }
    }
}
