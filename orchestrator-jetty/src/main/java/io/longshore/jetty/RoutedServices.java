package io.longshore.jetty;

import io.longshore.api.Clock;
import io.longshore.jetty.internal.dashboard.LiveService;
import io.longshore.jetty.internal.metrics.GatewayMetrics;
import io.longshore.jetty.internal.metrics.ReplicaSeriesSweeper;
import io.longshore.jetty.internal.metrics.ServiceMetrics;
import io.longshore.jetty.internal.routing.ServiceRoute;
import io.longshore.jetty.internal.routing.ServiceView;
import io.longshore.jetty.internal.routing.StaticServiceView;
import java.util.ArrayList;
import java.util.List;

/**
 * The services behind a {@link Gateway}'s routes as its parts see them: each route's metrics,
 * and each service once (several routes may lead to one) with the view the admin API and the
 * dashboard read and the gateway's meters are bound to. Made once, when the gateway is built;
 * not thread-safe, and not needed to be.
 */
final class RoutedServices {
    private final List<ServiceMetrics> metrics = new ArrayList<>();
    private final List<ServiceView> views = new ArrayList<>();
    private final List<LiveService> live = new ArrayList<>();

    /** The services of {@code routes}, each bound to {@code gatewayMetrics}. */
    RoutedServices(List<ServiceRoute> routes, GatewayMetrics gatewayMetrics) {
        for (ServiceRoute route : routes) {
            ServiceMetrics m = gatewayMetrics.service(route.service());
            metrics.add(m);
            ServiceView view = route.view() != null ? route.view()
                    : new StaticServiceView(route.service(), route.router().get(), m::requests);
            if (views.stream().noneMatch(v -> v.service().equals(view.service()))) {
                views.add(view);
                live.add(new LiveService(route.prefix(), view, m));
                gatewayMetrics.bind(view);
            }
        }
    }

    /** Each route's metrics, in the routes' order. */
    List<ServiceMetrics> byRoute() {
        return metrics;
    }

    /** Each service's view, once. */
    List<ServiceView> views() {
        return views;
    }

    /** Each service once, with the prefix of its first route and its metrics. */
    List<LiveService> live() {
        return live;
    }

    /** What ends the metric series of the services' replicas that left, on {@code clock}. */
    ReplicaSeriesSweeper sweeper(Clock clock) {
        return new ReplicaSeriesSweeper(live.stream().map(service -> new ReplicaSeriesSweeper.Service(
                service.view().service(), service.metrics(), service.view()::replicas)).toList(), clock);
    }
}
