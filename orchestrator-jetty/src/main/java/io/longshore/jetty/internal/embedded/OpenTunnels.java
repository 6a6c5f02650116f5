package io.longshore.jetty.internal.embedded;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tunnels of upgraded connections an {@link EmbeddedProxy} has open, so that it can close
 * those still open when it stops or the gateway's shutdown timeout is up. Thread-safe.
 */
final class OpenTunnels {
    private final Set<EmbeddedTunnel> tunnels = ConcurrentHashMap.newKeySet();

    void opened(EmbeddedTunnel tunnel) {
        tunnels.add(tunnel);
    }

    void closed(EmbeddedTunnel tunnel) {
        tunnels.remove(tunnel);
    }

    /** Closes every tunnel still open. */
    void closeAll() {
        for (EmbeddedTunnel tunnel : tunnels.toArray(new EmbeddedTunnel[0])) {
            tunnel.close();
        }
    }
}
