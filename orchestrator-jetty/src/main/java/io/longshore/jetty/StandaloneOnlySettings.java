package io.longshore.jetty;

import io.longshore.api.ConfigurationException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@link GatewayBuilder} settings that only the standalone proxy's own connectors have, and
 * where a host server that embeds the gateway takes each instead. The builder records the ones
 * set; {@link #refuseIfEmbedded} refuses them for an embedded gateway, naming each with its
 * replacement. Not thread-safe, as the builder.
 */
final class StandaloneOnlySettings {
    /** The settings of the standalone proxy's own connectors, and where an embedding host sets them instead. */
    private static final Map<String, String> HOST_SERVER_SETTINGS = Map.ofEntries(
            Map.entry("host", "ServerConnector.setHost"),
            Map.entry("port", "ServerConnector.setPort"),
            Map.entry("adminHost", "the connector of the server you mount adminHandler() in"),
            Map.entry("adminPort", "the connector of the server you mount adminHandler() in"),
            Map.entry("adminEnabled", "mounting adminHandler() or not"),
            Map.entry("ioThreads", "the host server's thread pool"),
            Map.entry("maxHeaderBytes", "HttpConfiguration.setRequestHeaderSize of the host's connector"),
            Map.entry("clientIdleTimeout", "ServerConnector.setIdleTimeout"),
            Map.entry("tls", "an SslConnectionFactory on the host's connector (X-Forwarded-Proto follows the connection's security)"),
            Map.entry("requestHeadTimeout", "nothing in Jetty: its idle timeout (ServerConnector.setIdleTimeout) bounds a silent"
                    + " client, not a trickling one"),
            Map.entry("busyPoll", "nothing in Jetty: its selectors sleep in select() between events"),
            Map.entry("http2", "GatewayHttp2.cleartext (h2c) or ALPN with GatewayHttp2.secure (h2) on the host's"
                    + " connectors"));

    /** The standalone-only settings set so far, in the order they were set, each with where the host sets it. */
    private final Map<String, String> set = new LinkedHashMap<>();

    /** Records that {@code setting}, one of the standalone proxy's connector settings, was set. */
    void set(String setting) {
        set.put(setting, setting + ": " + HOST_SERVER_SETTINGS.get(setting));
    }

    /** Refuses the settings recorded if the gateway is {@code embedded}: its host server has none of them. */
    void refuseIfEmbedded(boolean embedded) {
        if (embedded && !set.isEmpty()) {
            throw new ConfigurationException("an embedded gateway opens no connector: the host server accepts the "
                    + "connections and parses the requests, so " + String.join(", ", set.keySet())
                    + " cannot apply; set " + (set.size() == 1 ? "it" : "them") + " on the host server instead ("
                    + String.join("; ", set.values()) + ")");
        }
    }
}
