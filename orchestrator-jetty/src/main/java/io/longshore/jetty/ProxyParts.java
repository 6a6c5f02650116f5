package io.longshore.jetty;

import io.longshore.jetty.internal.accesslog.AccessLogWriter;
import io.longshore.jetty.internal.embedded.EmbeddedProxy;
import io.longshore.jetty.internal.engine.EngineOptions;
import io.longshore.jetty.internal.engine.ProxyEngine;
import io.longshore.jetty.internal.metrics.ServiceMetrics;
import io.longshore.jetty.internal.policy.Admission;
import io.longshore.jetty.internal.policy.ProxySettings;
import io.longshore.jetty.internal.policy.RetryBudget;
import io.longshore.jetty.internal.policy.WaitingRooms;
import io.longshore.jetty.internal.routing.RouteTable;
import java.util.List;

/**
 * The one proxy policy of a {@link Gateway} that every transport it builds shares: its route
 * table and each route's metrics, its settings, its count of requests in flight, its retry
 * budget, its waiting rooms and its access log ({@code null} when off). Builds the embedded
 * handler and the standalone engine on them.
 */
record ProxyParts(RouteTable routes, List<ServiceMetrics> metrics, ProxySettings settings, Admission admission,
                  RetryBudget budget, WaitingRooms rooms, AccessLogWriter accessLog) {

    /** The proxy as a Jetty handler; {@code maxHeadBytes} as {@link EmbeddedProxy}'s (0: the host server's limit). */
    EmbeddedProxy embedded(int maxHeadBytes) {
        return new EmbeddedProxy(routes, metrics, settings, admission, budget, rooms, accessLog, maxHeadBytes);
    }

    /** The standalone event-loop engine. */
    ProxyEngine engine(EngineOptions options) {
        return new ProxyEngine(routes, metrics, settings, admission, budget, options, rooms, accessLog);
    }
}
