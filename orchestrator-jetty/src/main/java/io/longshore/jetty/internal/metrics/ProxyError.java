package io.longshore.jetty.internal.metrics;

import java.util.Locale;

/** Why the gateway, rather than a replica, shaped a response; a label of the proxy error metric. */
public enum ProxyError {
    /** A replica refused or did not accept the connection. */
    CONNECT,
    /** A replica's connection broke after the request was sent. */
    RESET,
    /** A replica stayed silent past the response timeout. */
    TIMEOUT,
    /** The client went away. */
    CANCELLED,
    /** No replica was routable. */
    NO_REPLICA,
    /** The concurrency limit was reached. */
    OVERLOADED,
    /** The waiting line was full. */
    LINE_FULL,
    /** The request waited in the line past its time. */
    WAIT_TIMEOUT,
    /** The request body exceeded the limit. */
    BODY_TOO_LARGE,
    /** The gateway's own code failed while forwarding (a defect; logged at WARN with its stack). */
    INTERNAL;

    private final String label = name().toLowerCase(Locale.ROOT);

    public String label() {
        return label;
    }
}
