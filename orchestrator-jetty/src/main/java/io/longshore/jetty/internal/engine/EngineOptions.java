package io.longshore.jetty.internal.engine;

import io.longshore.jetty.internal.tls.TlsTerminator;

/**
 * The settings of the standalone engine's own connector, which an embedded gateway leaves to
 * its host server. Immutable.
 *
 * @param workers                  event loops (threads), at least 1
 * @param clientIdleTimeoutMillis  how long an idle keep-alive client connection is kept
 * @param requestHeadTimeoutMillis how long a client may take to send a whole request head
 * @param tls                      TLS on a listener of its own, {@code null} for none
 * @param busyPollNanos            how long an event loop polls after a round with events before it
 *                                 sleeps ({@link BusyPoll}); 0 never polls
 * @param http2                    where clients that speak HTTP/2 go, {@code null} to answer the
 *                                 HTTP/2 preface with 505 and offer only {@code http/1.1} by ALPN
 */
public record EngineOptions(int workers, long clientIdleTimeoutMillis, long requestHeadTimeoutMillis,
                            TlsTerminator tls, long busyPollNanos, Http2Connections http2) {
    public EngineOptions {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be >= 1, was " + workers);
        }
        if (clientIdleTimeoutMillis <= 0 || requestHeadTimeoutMillis <= 0) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
        if (busyPollNanos < 0) {
            throw new IllegalArgumentException("busyPollNanos must be >= 0, was " + busyPollNanos);
        }
    }
}
