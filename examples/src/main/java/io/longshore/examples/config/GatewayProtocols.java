package io.longshore.examples.config;

import io.longshore.examples.config.LongshoreConfig.Protocols;
import io.longshore.examples.seed.GatewayFlags;
import io.longshore.examples.seed.GatewayFlags.TlsFlags;
import io.longshore.jetty.AccessLog;
import io.longshore.jetty.Gateway;
import io.longshore.jetty.Tls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads the gateway's protocol keys: {@code tls: {port, cert, key, provider}} (its port claimed like the
 * others; both files must be readable), {@code accessLog: {file, format}} ({@code -} for standard
 * output; {@code combined} or {@code json}), {@code requestHeadTimeout}, {@code tunnelIdleTimeout}, and the waiting line's
 * {@code maxWaiting} and {@code maxWait}. Stateless.
 */
final class GatewayProtocols {
    /** The longest waiting line accepted; more is surely a typo. */
    static final int MAX_WAITING = 1_000_000;

    private GatewayProtocols() {
    }

    static Protocols read(ConfigNode gateway, PortClaims ports) {
        Optional<TlsFlags> tls = gateway.child("tls").flatMap(node -> tls(node, ports));
        Optional<ConfigNode> log = gateway.child("accessLog");
        Optional<String> file = log.flatMap(GatewayProtocols::accessLogFile);
        AccessLog.Format format = log.filter(ConfigNode::isMapping).map(GatewayProtocols::accessLogFormat)
                .orElse(AccessLog.Format.COMBINED);
        log.filter(ConfigNode::isMapping).ifPresent(ConfigNode::rejectUnknown);
        Duration headTimeout = gateway.duration("requestHeadTimeout", Gateway.DEFAULT_REQUEST_HEAD_TIMEOUT, false);
        Duration tunnelIdle = gateway.duration("tunnelIdleTimeout", Gateway.DEFAULT_TUNNEL_IDLE_TIMEOUT, false);
        int maxWaiting = gateway.integer("maxWaiting", Gateway.DEFAULT_MAX_WAITING, 0, MAX_WAITING);
        Duration maxWait = gateway.duration("maxWait", Gateway.DEFAULT_MAX_WAIT, false);
        boolean http2 = gateway.bool("http2", false);
        return new Protocols(tls, file, format, headTimeout, tunnelIdle, maxWaiting, maxWait, http2);
    }

    private static Optional<TlsFlags> tls(ConfigNode node, PortClaims ports) {
        if (!node.requireMapping()) {
            return Optional.empty();
        }
        int port = ConfigReader.port(node, "port", Tls.DEFAULT_PORT, "gateway.tls.port", ports);
        Optional<Path> cert = readable(node, "cert", "the certificate chain (PEM)");
        Optional<Path> key = readable(node, "key", "the private key (PEM)");
        Tls.Provider provider = Tls.Provider.valueOf(node.choice("provider", "auto", List.of("auto", "jdk", "conscrypt"))
                .toUpperCase(Locale.ROOT));
        node.rejectUnknown();
        return cert.isPresent() && key.isPresent() ? Optional.of(new TlsFlags(port, cert.get(), key.get(), provider))
                : Optional.empty();
    }

    /** The file under {@code key}: a problem when absent or unreadable. */
    private static Optional<Path> readable(ConfigNode node, String key, String what) {
        if (!node.has(key)) {
            node.problem("TLS needs '" + key + "', " + what);
            return Optional.empty();
        }
        String name = node.string(key, "").trim();
        Path file = Path.of(name);
        if (name.isEmpty() || !Files.isRegularFile(file) || !Files.isReadable(file)) {
            node.child(key).orElse(node).problem("no readable file '" + name + "' (" + what + ")");
            return Optional.empty();
        }
        return Optional.of(file);
    }

    /** {@code accessLog: FILE} or {@code accessLog: {file: FILE, format: …}}; {@code -} is standard output. */
    private static Optional<String> accessLogFile(ConfigNode node) {
        if (node.isScalar()) {
            return Optional.ofNullable(node.text()).map(String::trim).filter(f -> !f.isEmpty());
        }
        if (!node.requireMapping()) {
            return Optional.empty();
        }
        if (!node.has("file")) {
            node.problem("the access log needs 'file', a path or '" + GatewayFlags.STANDARD_OUTPUT
                    + "' for standard output");
        }
        Optional<String> file = node.string("file").map(String::trim);
        if (file.filter(String::isEmpty).isPresent()) {
            node.child("file").ifPresent(f -> f.problem("must not be blank"));
            return Optional.empty();
        }
        return file;
    }

    private static AccessLog.Format accessLogFormat(ConfigNode node) {
        return AccessLog.Format.valueOf(node.choice("format", "combined", List.of("combined", "json"))
                .toUpperCase(Locale.ROOT));
    }
}
