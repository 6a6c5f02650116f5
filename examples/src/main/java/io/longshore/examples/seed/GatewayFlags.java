package io.longshore.examples.seed;

import io.longshore.jetty.AccessLog;
import io.longshore.jetty.Gateway;
import io.longshore.jetty.GatewayBuilder;
import io.longshore.jetty.Tls;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The seed main's gateway flags beyond its ports: TLS ({@code --tls-port --tls-cert --tls-key},
 * all three or none, and {@code --tls-provider}), the access log ({@code --access-log FILE}, {@code -} for standard output;
 * combined format), the request-head timeout, the tunnels' idle timeout, HTTP/2
 * ({@code --http2}) and the admin API's extra host names ({@code --admin-allowed-hosts a,b}). Immutable.
 *
 * @param tls                the TLS listener, when asked for
 * @param accessLog          the access log's file, or {@value #STANDARD_OUTPUT} for standard output
 * @param requestHeadTimeout how long a client may take to send a request head
 * @param tunnelIdleTimeout  how long an upgraded connection (a WebSocket) may stay silent both ways
 * @param http2              whether clients may speak HTTP/2 (prior knowledge, or h2 by ALPN over TLS)
 * @param adminAllowedHosts  host names the admin API answers to beyond the loopback ones
 */
public record GatewayFlags(Optional<TlsFlags> tls, Optional<String> accessLog, Duration requestHeadTimeout,
                           Duration tunnelIdleTimeout, boolean http2, List<String> adminAllowedHosts) {
    /** The one gateway flag that takes no value. */
    public static final String HTTP2_FLAG = "--http2";
    /** What {@code --access-log} takes for standard output. */
    public static final String STANDARD_OUTPUT = "-";
    public static final GatewayFlags DEFAULTS = new GatewayFlags(Optional.empty(), Optional.empty(),
            Gateway.DEFAULT_REQUEST_HEAD_TIMEOUT, Gateway.DEFAULT_TUNNEL_IDLE_TIMEOUT, false, List.of());

    /** The TLS listener: its port, PEM certificate chain and key, and the implementation that terminates it. */
    public record TlsFlags(int port, Path certificate, Path key, Tls.Provider provider) {
        public TlsFlags {
            Objects.requireNonNull(certificate, "certificate");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(provider, "provider");
        }

        /** The gateway's TLS listener these describe. */
        public Tls toTls() {
            return Tls.builder().port(port).provider(provider).certificate(certificate, key).build();
        }
    }

    public GatewayFlags {
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(accessLog, "accessLog");
        Objects.requireNonNull(requestHeadTimeout, "requestHeadTimeout");
        Objects.requireNonNull(tunnelIdleTimeout, "tunnelIdleTimeout");
        adminAllowedHosts = List.copyOf(adminAllowedHosts);
    }

    /** The flags without extra admin host names, as before {@code --admin-allowed-hosts} existed. */
    public GatewayFlags(Optional<TlsFlags> tls, Optional<String> accessLog, Duration requestHeadTimeout,
                        Duration tunnelIdleTimeout, boolean http2) {
        this(tls, accessLog, requestHeadTimeout, tunnelIdleTimeout, http2, List.of());
    }

    /** Applies the flags to a gateway's builder. */
    GatewayBuilder applyTo(GatewayBuilder builder) {
        builder.requestHeadTimeout(requestHeadTimeout).tunnelIdleTimeout(tunnelIdleTimeout)
                .adminAllowedHosts(adminAllowedHosts.toArray(String[]::new));
        if (http2) {
            builder.http2(true);
        }
        tls.ifPresent(t -> builder.tls(t.toTls()));
        accessLog.ifPresent(file -> builder.accessLog(STANDARD_OUTPUT.equals(file)
                ? AccessLog.toStandardOutput(AccessLog.Format.COMBINED)
                : AccessLog.toFile(Path.of(file), AccessLog.Format.COMBINED)));
        return builder;
    }

    /** The flags that reproduce these. */
    List<String> toArgs() {
        List<String> args = new ArrayList<>();
        tls.ifPresent(t -> {
            args.addAll(List.of("--tls-port", String.valueOf(t.port()), "--tls-cert",
                    t.certificate().toString(), "--tls-key", t.key().toString()));
            if (t.provider() != Tls.Provider.AUTO) {
                args.addAll(List.of("--tls-provider", t.provider().name().toLowerCase(Locale.ROOT)));
            }
        });
        accessLog.ifPresent(file -> args.addAll(List.of("--access-log", file)));
        if (!requestHeadTimeout.equals(DEFAULTS.requestHeadTimeout)) {
            args.addAll(List.of("--request-head-timeout", Durations.format(requestHeadTimeout)));
        }
        if (!tunnelIdleTimeout.equals(DEFAULTS.tunnelIdleTimeout)) {
            args.addAll(List.of("--tunnel-idle-timeout", Durations.format(tunnelIdleTimeout)));
        }
        if (http2) {
            args.add(HTTP2_FLAG);
        }
        if (!adminAllowedHosts.isEmpty()) {
            args.addAll(List.of("--admin-allowed-hosts", String.join(",", adminAllowedHosts)));
        }
        return args;
    }
}
