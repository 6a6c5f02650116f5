package io.longshore.jetty.internal.embedded;

import io.longshore.jetty.internal.metrics.ServiceMetrics;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.eclipse.jetty.server.Request;

/**
 * The end of one request through the embedded gateway, settled once whichever way it comes: the
 * request's latency recorded, its access-log line written and its place in the gateway let go
 * of. An {@link ExchangeEnd} and an {@link UpgradeEnd} each end through one. Thread-safe.
 */
final class RequestEnd {
    private final EmbeddedProxy proxy;
    private final ServiceMetrics metrics;
    private final Request request;
    private final long startNanos;
    private final AtomicBoolean ended = new AtomicBoolean();
    /** When the request's latency ended, on the gateway's clock, if before its end ({@link #latencyEnded}). */
    private volatile long latencyEndNanos;
    private volatile boolean latencyEnded;

    /** @param startNanos when the request began, on the gateway's clock */
    RequestEnd(EmbeddedProxy proxy, ServiceMetrics metrics, Request request, long startNanos) {
        this.proxy = proxy;
        this.metrics = metrics;
        this.request = request;
        this.startNanos = startNanos;
    }

    /**
     * The request's latency ends at {@code nanos} of the gateway's clock, though the request goes
     * on (a tunnel's latency is its handshake).
     */
    void latencyEnded(long nanos) {
        latencyEndNanos = nanos;
        latencyEnded = true;
    }

    /**
     * Ends the request unless it has ended: records its latency, logs it as answered
     * {@code status} with {@code bytes} body bytes ({@code upstream}, what its replica did, is
     * asked for only when an access log is written), then lets go of its place in the gateway.
     *
     * @return whether this call ended it
     */
    boolean end(int status, long bytes, Supplier<AccessLogging.Upstream> upstream) {
        if (!ended.compareAndSet(false, true)) {
            return false;
        }
        long now = proxy.settings().clock().nanoTime();
        metrics.latency((latencyEnded ? latencyEndNanos : now) - startNanos);
        if (proxy.accessLog() != null) {
            AccessLogging.log(proxy.accessLog(), proxy.settings().clock().instant().toEpochMilli(), request, status,
                    bytes, metrics.service(), upstream.get(), now - startNanos);
        }
        proxy.release(); // last: a closing gateway waits for this, then closes the access log
        return true;
    }
}
