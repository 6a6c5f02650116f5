package io.longshore.jetty.internal.routing;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Which route a request path takes, for both proxies: the route whose prefix matches the path
 * in whole segments ({@code /api} matches {@code /api} and {@code /api/x}, not {@code /apix}),
 * the longest prefix winning; {@code /} matches every path, {@code *} (OPTIONS) included. Paths
 * are matched as the client sent them, percent-encoding and all. Immutable; thread-safe.
 */
public final class RouteTable {
    /** The answer when no route matches. */
    public static final int NO_ROUTE = -1;

    private final List<ServiceRoute> routes;
    private final byte[][] prefixes;

    public RouteTable(List<ServiceRoute> routes) {
        this.routes = List.copyOf(routes);
        this.prefixes = new byte[routes.size()][];
        for (int i = 0; i < prefixes.length; i++) {
            prefixes[i] = routes.get(i).prefix().getBytes(StandardCharsets.UTF_8);
        }
    }

    public int size() {
        return routes.size();
    }

    public ServiceRoute route(int index) {
        return routes.get(index);
    }

    public List<ServiceRoute> routes() {
        return routes;
    }

    /** The index of the route the path {@code b[from, to)} takes, or {@link #NO_ROUTE}. */
    public int match(byte[] b, int from, int to) {
        int best = NO_ROUTE;
        int bestLength = -1;
        for (int i = 0; i < prefixes.length; i++) {
            byte[] prefix = prefixes[i];
            if (prefix.length > bestLength && matches(prefix, b, from, to)) {
                best = i;
                bestLength = prefix.length;
            }
        }
        return best;
    }

    /** The index of the route {@code path} takes, or {@link #NO_ROUTE}; an empty path is {@code /}. */
    public int match(String path) {
        byte[] bytes = (path == null || path.isEmpty() ? "/" : path).getBytes(StandardCharsets.UTF_8);
        return match(bytes, 0, bytes.length);
    }

    private static boolean matches(byte[] prefix, byte[] b, int from, int to) {
        if (prefix.length == 1) {
            return true;
        }
        int length = to - from;
        return length >= prefix.length && Arrays.equals(b, from, from + prefix.length, prefix, 0, prefix.length)
                && (length == prefix.length || b[from + prefix.length] == '/');
    }
}
