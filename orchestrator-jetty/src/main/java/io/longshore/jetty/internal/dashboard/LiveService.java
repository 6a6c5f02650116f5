package io.longshore.jetty.internal.dashboard;

import io.longshore.jetty.internal.metrics.ServiceMetrics;
import io.longshore.jetty.internal.routing.ServiceView;
import java.util.Objects;

/**
 * One routed service as the operator side sees it. Immutable.
 *
 * @param prefix  the path prefix the gateway routes to it
 * @param view    its replicas, status, events and actions
 * @param metrics the gateway's meters of its requests (the per-replica load windows)
 */
public record LiveService(String prefix, ServiceView view, ServiceMetrics metrics) {
    public LiveService {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(view, "view");
        Objects.requireNonNull(metrics, "metrics");
    }

    public String name() {
        return view.service();
    }
}
