package io.longshore.api;

/**
 * A host and TCP port a replica listens on. Immutable.
 *
 * @param host host name or literal address, never blank
 * @param port 1..65535
 */
public record Endpoint(String host, int port) {

    /** The loopback host every replica binds to by default. */
    public static final String LOOPBACK = "127.0.0.1";

    public Endpoint {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port must be in 1..65535, was " + port);
        }
    }

    /** An endpoint on {@link #LOOPBACK}. */
    public static Endpoint loopback(int port) {
        return new Endpoint(LOOPBACK, port);
    }

    /** Parses {@code host:port}. */
    public static Endpoint parse(String hostAndPort) {
        int colon = hostAndPort == null ? -1 : hostAndPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostAndPort.length() - 1) {
            throw new IllegalArgumentException("expected host:port, was '" + hostAndPort + "'");
        }
        try {
            return new Endpoint(hostAndPort.substring(0, colon),
                    Integer.parseInt(hostAndPort.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected host:port, was '" + hostAndPort + "'", e);
        }
    }

    /**
     * {@code host:port} as a URI authority or a {@code Host} field writes it: an IPv6 literal
     * goes in brackets.
     */
    public String authority() {
        boolean bracketed = host.indexOf(':') >= 0 && host.charAt(0) != '[';
        return (bracketed ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
