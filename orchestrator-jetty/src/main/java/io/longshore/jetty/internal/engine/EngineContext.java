package io.longshore.jetty.internal.engine;

import io.longshore.core.Router;
import io.longshore.jetty.internal.Admission;
import io.longshore.jetty.internal.ProxySettings;
import io.longshore.jetty.internal.RetryBudget;
import io.longshore.jetty.internal.ServiceMetrics;
import io.longshore.jetty.internal.ServiceRoute;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * What every worker of one engine shares: the settings, the routes (path prefixes as bytes,
 * their routers and meters), the retry budget and the gateway's {@link Admission} (requests in
 * flight, draining). Thread-safe: the routes are fixed at start, the counters are atomic.
 */
final class EngineContext {
    final ProxySettings settings;
    final RetryBudget budget;
    final Scheduler scheduler;
    final long clientIdleTimeoutMillis;
    /** A client's input buffer holds the largest head allowed and then some body. */
    final int clientBufferSize;
    private final byte[][] prefixes;
    private final Router[] routers;
    private final ServiceMetrics[] metrics;
    private final Admission admission;

    EngineContext(List<ServiceRoute> routes, List<ServiceMetrics> metrics, ProxySettings settings, Admission admission,
                  Scheduler scheduler, long clientIdleTimeoutMillis) {
        this.settings = settings;
        this.admission = admission;
        this.budget = new RetryBudget(settings.retryBudget());
        this.scheduler = scheduler;
        this.clientIdleTimeoutMillis = clientIdleTimeoutMillis;
        this.clientBufferSize = Math.max(BufferCache.SMALL, settings.maxHeaderBytes() + 4096);
        this.prefixes = new byte[routes.size()][];
        this.routers = new Router[routes.size()];
        this.metrics = metrics.toArray(new ServiceMetrics[0]);
        for (int i = 0; i < prefixes.length; i++) {
            prefixes[i] = routes.get(i).prefix().getBytes(StandardCharsets.UTF_8);
            routers[i] = routes.get(i).router().get();
        }
    }

    /**
     * The route whose prefix matches the path {@code b[from, to)} in whole segments, the
     * longest one winning; -1 for none. {@code *} (OPTIONS) only matches {@code /}.
     */
    int match(byte[] b, int from, int to) {
        int best = -1;
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

    private static boolean matches(byte[] prefix, byte[] b, int from, int to) {
        if (prefix.length == 1) {
            return true;
        }
        int length = to - from;
        return length >= prefix.length && Arrays.equals(b, from, from + prefix.length, prefix, 0, prefix.length)
                && (length == prefix.length || b[from + prefix.length] == '/');
    }

    int routeCount() {
        return routers.length;
    }

    Router router(int route) {
        return routers[route];
    }

    ServiceMetrics metrics(int route) {
        return metrics[route];
    }

    /** Counts a request in; false (and nothing counted) past the concurrency limit. */
    boolean admit() {
        return admission.tryAdmit();
    }

    /** A request admitted by {@link #admit} left. */
    void release() {
        admission.release();
    }

    /** Whether the gateway drains: no connection is kept alive any more. */
    boolean isDraining() {
        return admission.isDraining();
    }
}
