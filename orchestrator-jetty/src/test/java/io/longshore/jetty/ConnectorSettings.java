package io.longshore.jetty;

import java.time.Duration;

/**
 * The settings of the connector that takes a gateway's clients: the standalone gateway's own
 * ({@link GatewayBuilder}), or the host server's when the gateway is embedded. Immutable.
 *
 * @param maxHeaderBytes    largest request head, {@code null} for the default
 * @param clientIdleTimeout how long an idle client connection is kept, {@code null} for the default
 * @param ioThreads         event loops of the standalone gateway, 0 for the default
 */
record ConnectorSettings(Integer maxHeaderBytes, Duration clientIdleTimeout, int ioThreads) {
    static final ConnectorSettings DEFAULTS = new ConnectorSettings(null, null, 0);
    /** One event loop, so every connection of a test shares one thread (and its buffers). */
    static final ConnectorSettings ONE_LOOP = new ConnectorSettings(null, null, 1);

    ConnectorSettings withMaxHeaderBytes(int bytes) {
        return new ConnectorSettings(bytes, clientIdleTimeout, ioThreads);
    }

    ConnectorSettings withClientIdleTimeout(Duration timeout) {
        return new ConnectorSettings(maxHeaderBytes, timeout, ioThreads);
    }

    /** Applies them to a standalone gateway's builder. */
    GatewayBuilder applyTo(GatewayBuilder builder) {
        if (maxHeaderBytes != null) {
            builder.maxHeaderBytes(maxHeaderBytes);
        }
        if (clientIdleTimeout != null) {
            builder.clientIdleTimeout(clientIdleTimeout);
        }
        if (ioThreads > 0) {
            builder.ioThreads(ioThreads);
        }
        return builder;
    }
}
