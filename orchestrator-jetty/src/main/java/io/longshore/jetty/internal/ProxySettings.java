package io.longshore.jetty.internal;

import io.longshore.api.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

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
 * @param clock                 latency clock
 * @param random                jitter source, thread-safe
 */
public record ProxySettings(Duration responseTimeout, Duration connectTimeout, long maxRequestBodyBytes,
                            int maxHeaderBytes, int maxConcurrentRequests, int connectionsPerBackend,
                            double retryBudget, Duration maxRetryBackoff, Clock clock, RandomGenerator random) {
    public ProxySettings {
        Objects.requireNonNull(responseTimeout, "responseTimeout");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(maxRetryBackoff, "maxRetryBackoff");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(random, "random");
    }
}
