package io.longshore.jetty.internal.codec;

/** How a message body is delimited (RFC 9112 6.3). */
public enum Framing {
    /** No body. */
    NONE,
    /** {@code Content-Length} bytes. */
    FIXED,
    /** Chunked transfer coding. */
    CHUNKED,
    /** Until the connection closes (responses only). */
    UNTIL_CLOSE
}
