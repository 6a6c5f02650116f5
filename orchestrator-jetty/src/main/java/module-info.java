/**
 * The Longshore gateway: the HTTP reverse proxy in front of orchestrated services, on its
 * own engine or embedded in a Jetty 12 server, with the admin API and Prometheus metrics.
 *
 * <p>Only {@code io.longshore.jetty} is exported; the gateway's parts
 * ({@code io.longshore.jetty.internal.*}) are not.
 */
module io.longshore.jetty {
    requires transitive io.longshore.core;
    requires transitive org.eclipse.jetty.server;
    requires transitive micrometer.registry.prometheus;
    requires micrometer.core;
    requires org.eclipse.jetty.client;
    requires org.eclipse.jetty.http2.common;
    requires transitive org.eclipse.jetty.http2.server; // GatewayHttp2 returns its factories
    requires org.eclipse.jetty.http;
    requires org.eclipse.jetty.io;
    requires org.eclipse.jetty.util;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;
    /** Optional: BoringSSL for TLS termination when present (on a module path, with --add-modules org.conscrypt). */
    requires static org.conscrypt;

    exports io.longshore.jetty;
}
