package io.longshore.api;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * Checks one replica. Returns at once with a stage the probe completes later; the
 * orchestrator holds the stage to the probe timeout and reads a timeout, an exceptional
 * completion, a null or a thrown exception as unhealthy. {@link #probe} is called off the
 * orchestrator's control loop, on its probe executor, one call at a time per replica, and may be
 * called for several replicas concurrently. It should not block (do the check on a thread or
 * client of your own and complete the stage from there): a call that blocks holds a thread and
 * its replica's checks, which fail by timeout and, while the call has not returned, one more
 * each probe interval, until the replica is replaced.
 *
 * <p>The built-in probes come from the factories below: {@link #tcp(Duration)} and
 * {@link #http(String)}. The core module's {@code io.longshore.core.HttpHealthProbe} is an
 * HTTP probe on Apache HttpClient 5 with a pooled client its creator closes.
 */
@FunctionalInterface
public interface HealthProbe {

    CompletionStage<ProbeResult> probe(Backend backend);

    /** Healthy when a TCP connection to the replica's endpoint opens within {@code timeout}. */
    static HealthProbe tcp(Duration timeout) {
        return new TcpHealthProbe(timeout);
    }

    /** How long opening the connection may take, for {@link #http(String)}. */
    Duration DEFAULT_HTTP_CONNECT_TIMEOUT = Duration.ofMillis(500);

    /** How long the answer may take once connected, for {@link #http(String)}. */
    Duration DEFAULT_HTTP_RESPONSE_TIMEOUT = Duration.ofSeconds(1);

    /**
     * Healthy when {@code GET path} on the replica answers 2xx or 3xx within the default
     * timeouts ({@link #DEFAULT_HTTP_CONNECT_TIMEOUT}, {@link #DEFAULT_HTTP_RESPONSE_TIMEOUT});
     * redirects are not followed, and the reason is the status code or the error. Uses the
     * JDK's HTTP client; there is nothing to close.
     *
     * @throws IllegalArgumentException if {@code path} does not start with {@code /}
     */
    static HealthProbe http(String path) {
        return http(path, DEFAULT_HTTP_CONNECT_TIMEOUT, DEFAULT_HTTP_RESPONSE_TIMEOUT);
    }

    /**
     * As {@link #http(String)}, with the time opening the connection and the time the answer
     * may take once connected.
     *
     * @throws IllegalArgumentException if {@code path} does not start with {@code /} or a
     *         timeout is not positive
     */
    static HealthProbe http(String path, Duration connectTimeout, Duration responseTimeout) {
        return new JdkHttpHealthProbe(path, connectTimeout, responseTimeout);
    }
}
