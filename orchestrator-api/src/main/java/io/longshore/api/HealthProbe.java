package io.longshore.api;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * Checks one replica. Returns at once with a stage the probe completes later; the
 * orchestrator enforces the timeout and reads a timeout, an exceptional completion or a
 * thrown exception as unhealthy. May be called for several replicas concurrently.
 *
 * <p>The HTTP probe of the seed ({@code GET /api/v1/_health}) lives in the core module as
 * {@code io.longshore.core.HttpHealthProbe}, since it needs an HTTP client.
 */
@FunctionalInterface
public interface HealthProbe {

    CompletionStage<ProbeResult> probe(Backend backend);

    /** Healthy when a TCP connection to the replica's endpoint opens within {@code timeout}. */
    static HealthProbe tcp(Duration timeout) {
        return new TcpHealthProbe(timeout);
    }
}
