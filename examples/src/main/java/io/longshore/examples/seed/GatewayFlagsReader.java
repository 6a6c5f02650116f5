package io.longshore.examples.seed;

import io.longshore.jetty.Gateway;
import io.longshore.jetty.Tls;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads the seed main's gateway flags beyond its ports (TLS, the access log, the timeouts,
 * {@value GatewayFlags#HTTP2_FLAG} and the admin API's host names) for {@link SeedOptionsParser},
 * then checks them together into {@link GatewayFlags}. Not thread-safe; one use.
 */
final class GatewayFlagsReader {
    private static final List<String> FLAGS = List.of("--tls-port", "--tls-cert", "--tls-key", "--tls-provider",
            "--access-log", "--request-head-timeout", "--tunnel-idle-timeout", "--admin-allowed-hosts");
    private final GatewayFlags d = GatewayFlags.DEFAULTS;
    private Optional<Integer> tlsPort = Optional.empty();
    private Optional<Path> tlsCert = Optional.empty();
    private Optional<Path> tlsKey = Optional.empty();
    private Optional<Tls.Provider> tlsProvider = Optional.empty();
    private Optional<String> accessLog = Optional.empty();
    private Duration requestHeadTimeout = d.requestHeadTimeout();
    private Duration tunnelIdleTimeout = d.tunnelIdleTimeout();
    private boolean http2 = d.http2();
    private List<String> adminAllowedHosts = d.adminAllowedHosts();

    /** Whether {@code flag} is a gateway flag that takes a value ({@value GatewayFlags#HTTP2_FLAG} takes none). */
    static boolean isKnown(String flag) {
        return FLAGS.contains(flag);
    }

    /** Reads {@code flag}; false when it is not a gateway flag that takes a value. */
    boolean apply(String flag, String value) {
        switch (flag) {
            case "--tls-port" -> tlsPort = Optional.of(FlagValues.port(value, flag));
            case "--tls-cert" -> tlsCert = Optional.of(FlagValues.path(value, flag));
            case "--tls-key" -> tlsKey = Optional.of(FlagValues.path(value, flag));
            case "--tls-provider" -> tlsProvider = Optional.of(tlsProvider(value, flag));
            case "--access-log" -> accessLog = Optional.of(FlagValues.nonBlank(value, flag));
            case "--request-head-timeout" -> requestHeadTimeout = Durations.parse(value, flag);
            case "--tunnel-idle-timeout" -> tunnelIdleTimeout = Durations.parse(value, flag);
            case "--admin-allowed-hosts" -> adminAllowedHosts = hostNames(value, flag);
            default -> {
                return false;
            }
        }
        return true;
    }

    /** Reads {@value GatewayFlags#HTTP2_FLAG}. */
    void turnOnHttp2() {
        http2 = true;
    }

    /** The TLS port, when given: the replicas' ports must keep clear of it too. */
    Optional<Integer> tlsPort() {
        return tlsPort;
    }

    /**
     * The flags, checked: TLS needs its port, certificate and key together, on a port of its own
     * (not {@code port} nor {@code adminPort}).
     */
    GatewayFlags checked(int port, int adminPort) {
        Optional<GatewayFlags.TlsFlags> tls = Optional.empty();
        if (tlsPort.isPresent() || tlsCert.isPresent() || tlsKey.isPresent()) {
            if (tlsPort.isEmpty() || tlsCert.isEmpty() || tlsKey.isEmpty()) {
                throw new UsageException("--tls-port, --tls-cert and --tls-key go together; missing: "
                        + String.join(", ", missingTlsFlags()));
            }
            if (tlsPort.get() == port || tlsPort.get() == adminPort) {
                throw new UsageException("--tls-port must differ from --port and --admin-port, was " + tlsPort.get());
            }
            tls = Optional.of(new GatewayFlags.TlsFlags(tlsPort.get(), tlsCert.get(), tlsKey.get(),
                    tlsProvider.orElse(Tls.Provider.AUTO)));
        } else if (tlsProvider.isPresent()) {
            throw new UsageException("--tls-provider needs --tls-port, --tls-cert and --tls-key");
        }
        if (requestHeadTimeout.isZero()) {
            throw new UsageException("--request-head-timeout must be positive");
        }
        if (tunnelIdleTimeout.isZero()) {
            throw new UsageException("--tunnel-idle-timeout must be positive");
        }
        return new GatewayFlags(tls, accessLog, requestHeadTimeout, tunnelIdleTimeout, http2, adminAllowedHosts);
    }

    private List<String> missingTlsFlags() {
        List<String> missing = new ArrayList<>();
        if (tlsPort.isEmpty()) {
            missing.add("--tls-port");
        }
        if (tlsCert.isEmpty()) {
            missing.add("--tls-cert");
        }
        if (tlsKey.isEmpty()) {
            missing.add("--tls-key");
        }
        return missing;
    }

    /** {@code auto}, {@code jdk} or {@code conscrypt}. */
    private static Tls.Provider tlsProvider(String value, String flag) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "auto" -> Tls.Provider.AUTO;
            case "jdk" -> Tls.Provider.JDK;
            case "conscrypt" -> Tls.Provider.CONSCRYPT;
            default -> throw new UsageException(flag + " must be auto, jdk or conscrypt, was '" + value + "'");
        };
    }

    /**
     * {@code name,name,...}: host names or IP addresses without port or scheme, checked by the
     * gateway builder's own rule so the flag refuses at once what the gateway would refuse later.
     */
    private static List<String> hostNames(String value, String flag) {
        List<String> names = new ArrayList<>();
        for (String part : value.split(",", -1)) {
            String name = part.trim();
            try {
                Gateway.builder().adminAllowedHosts(name);
            } catch (IllegalArgumentException e) {
                throw new UsageException(flag + " expects name,name,... (host names or IP addresses without port or"
                        + " scheme) but got '" + name + "'");
            }
            names.add(name);
        }
        return List.copyOf(names);
    }
}
