package io.longshore.jetty.internal.embedded;

import io.longshore.api.Endpoint;
import io.longshore.jetty.internal.codec.HostSyntax;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.client.Connection;
import org.eclipse.jetty.client.ConnectionPool;
import org.eclipse.jetty.client.Destination;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Origin;

/**
 * Closes the idle pooled connections of the replica client's destinations whose endpoint no
 * router knows any more, as the standalone engine's pool sweep does: a replica that left (drained,
 * removed from its service) does not keep its warm connections until their idle timeout. Only idle
 * connections are taken from a pool (one carrying a request is not idle), so the requests in
 * flight there finish on theirs, which then close as unused ones do. Stateless.
 */
final class GoneDestinations {
    private GoneDestinations() {
    }

    /** Closes the idle connections of every destination of {@code client} whose endpoint is not in {@code known}. */
    static void closeIdle(HttpClient client, Set<Endpoint> known) {
        Set<String> knownAddresses = new HashSet<>();
        for (Endpoint endpoint : known) {
            knownAddresses.add(address(endpoint.host(), endpoint.port()));
        }
        for (Destination destination : client.getDestinations()) {
            Origin.Address origin = destination.getOrigin().getAddress();
            if (!knownAddresses.contains(address(origin.getHost(), origin.getPort()))) {
                closeIdle(destination.getConnectionPool());
            }
        }
    }

    /** Takes each idle connection out of {@code pool} and closes it (no new one is opened for it). */
    private static void closeIdle(ConnectionPool pool) {
        for (Connection idle = pool.acquire(false); idle != null; idle = pool.acquire(false)) {
            idle.close(); // removes it from the pool
        }
    }

    /** {@code host:port} as one key whether the host is written with IPv6 brackets or without. */
    private static String address(String host, int port) {
        return HostSyntax.withoutBrackets(host).toLowerCase(Locale.ROOT) + ":" + port;
    }
}
