package io.longshore.jetty.internal.policy;

import io.longshore.api.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * The validated knobs of the forwarding path. Immutable.
 *
 * @param responseTimeout       longest silence from a replica before 504
 * @param connectTimeout        longest connect to a replica
 * @param maxRequestBodyBytes   largest body forwarded (413 beyond)
 * @param maxHeaderBytes        largest request header section (431 beyond)
 * @param maxConcurrentRequests requests in flight before 503
 * @param connectionsPerBackend pooled connections per replica
 * @param retryBudget           retries per request allowed on average
 * @param maxRetryBackoff       upper bound of the jittered pause before a retry
 * @param tunnelIdleTimeout     longest silence on an upgraded connection (a tunnel) before it closes
 * @param clock                 latency clock
 * @param randomness            where each event loop's generator comes from
 */
public record ProxySettings(Duration responseTimeout, Duration connectTimeout, long maxRequestBodyBytes,
                            int maxHeaderBytes, int maxConcurrentRequests, int connectionsPerBackend,
                            double retryBudget, Duration maxRetryBackoff, Duration tunnelIdleTimeout, Clock clock,
                            Randomness randomness) {
    /** The longest response head accepted from a replica; a longer one is a 502. */
    public static final int MAX_RESPONSE_HEAD_BYTES = 32 * 1024;
    /** The least a request's head and the start of its body are held in (and replayed from). */
    public static final int MIN_REQUEST_BUFFER_BYTES = 16 * 1024;

    public ProxySettings {
        Objects.requireNonNull(responseTimeout, "responseTimeout");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(maxRetryBackoff, "maxRetryBackoff");
        Objects.requireNonNull(tunnelIdleTimeout, "tunnelIdleTimeout");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(randomness, "randomness");
    }

    /**
     * How many bytes of a request the gateway holds at once: the largest head allowed and then
     * some body. A retry can resend a body only while all of it is still held.
     */
    public int requestBufferBytes() {
        return Math.max(MIN_REQUEST_BUFFER_BYTES, maxHeaderBytes + 4096);
    }
}
