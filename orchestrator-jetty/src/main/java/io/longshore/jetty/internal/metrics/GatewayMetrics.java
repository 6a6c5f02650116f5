package io.longshore.jetty.internal.metrics;

import io.longshore.api.OrchestratorEvent;
import io.longshore.api.ReplicaState;
import io.longshore.core.ReplicaView;
import io.longshore.jetty.internal.routing.ServiceView;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;

/**
 * The gateway's Prometheus registry: request-path meters per service and, read at scrape
 * time, the replicas by state, restarts, scaling decisions, the autoscaler's last observed value
 * and desired count, and the requests waiting of each service. Thread-safe.
 */
public final class GatewayMetrics {
    private static final int EVENTS_SCANNED = 256;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    /** Micrometer holds function counters' objects weakly; these must live as long as the gateway. */
    private final List<ScalingCounter> scalingCounters = new CopyOnWriteArrayList<>();
    private final List<java.util.function.LongSupplier> functionSources = new CopyOnWriteArrayList<>();
    private final ConcurrentHashMap<String, ServiceMetrics> services = new ConcurrentHashMap<>();

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The meters of one service, registered on first use; routes of the same service share them. */
    public ServiceMetrics service(String service) {
        return services.computeIfAbsent(service, name -> new ServiceMetrics(name, registry));
    }

    /** Gauges of the gateway's own requests in flight. */
    public void inFlight(IntSupplier inFlight) {
        Gauge.builder("longshore.gateway.requests.inflight", inFlight::getAsInt)
                .description("Requests being proxied now").register(registry);
    }

    /** Gauges the requests of {@code service} waiting in the gateway's line for a replica. */
    public void waiting(String service, IntSupplier waiting) {
        Gauge.builder("longshore.requests.waiting", waiting, w -> w.getAsInt())
                .description("Requests waiting in the gateway for a replica with room").tag("service", service)
                .strongReference(true).register(registry);
    }

    /**
     * Counters of the TLS listener: handshakes done and failed, certificate reloads; and which
     * implementation terminates it, as a gauge of 1 tagged with its name ({@code provider}).
     */
    public void tls(String provider, java.util.function.LongSupplier handshakes, java.util.function.LongSupplier failures,
                    java.util.function.LongSupplier reloads) {
        Gauge.builder("longshore.gateway.tls.provider", () -> 1).tag("provider", provider)
                .description("The TLS implementation in use (its name in the provider tag)").register(registry);
        FunctionCounter.builder("longshore.gateway.tls.handshakes", handshakes, LongSupplierCount::count)
                .description("TLS handshakes completed").register(registry);
        FunctionCounter.builder("longshore.gateway.tls.handshake.failures", failures, LongSupplierCount::count)
                .description("TLS handshakes that failed (the connection was closed)").register(registry);
        FunctionCounter.builder("longshore.gateway.tls.certificate.reloads", reloads, LongSupplierCount::count)
                .description("Times the TLS certificates were loaded again after their files changed").register(registry);
        functionSources.addAll(List.of(handshakes, failures, reloads));
    }

    /** Gauges the HTTP/2 client connections open now. */
    public void http2Connections(IntSupplier connections) {
        Gauge.builder("longshore.gateway.http2.connections", connections::getAsInt)
                .description("HTTP/2 client connections open now").strongReference(true).register(registry);
    }

    /** Counts the access-log lines dropped because the writer fell behind. */
    public void accessLogDropped(java.util.function.LongSupplier dropped) {
        FunctionCounter.builder("longshore.gateway.access.log.dropped", dropped, LongSupplierCount::count)
                .description("Access-log lines dropped because the writer fell behind").register(registry);
        functionSources.add(dropped);
    }

    /** Reads a long counter as a double for Micrometer. */
    private static final class LongSupplierCount {
        static double count(java.util.function.LongSupplier supplier) {
            return supplier.getAsLong();
        }
    }

    /** Gauges read from a service's admin view at scrape time. */
    public void bind(ServiceView view) {
        String service = view.service();
        for (ReplicaState state : ReplicaState.values()) {
            Gauge.builder("longshore.replicas", view, v -> count(v.replicas(), state))
                    .description("Replicas by state").tag("service", service)
                    .tag("state", state.name().toLowerCase(Locale.ROOT)).strongReference(true).register(registry);
        }
        Gauge.builder("longshore.replica.restarts", view, v -> v.replicas().stream().mapToLong(ReplicaView::restarts).sum())
                .description("Restarts of the current replicas").tag("service", service).strongReference(true)
                .register(registry);
        Gauge.builder("longshore.replicas.desired", view, v -> v.status().desired())
                .description("Desired replica count").tag("service", service).strongReference(true)
                .register(registry);
        Gauge.builder("longshore.autoscaler.observed", view, v -> v.status().lastDecision()
                        .map(d -> d.observed()).orElse(Double.NaN))
                .description("The scaling policy's last observed value of its metric (NaN before its first decision "
                        + "or when it does not say)").tag("service", service).strongReference(true).register(registry);
        Gauge.builder("longshore.autoscaler.desired", view, v -> v.status().lastDecision()
                        .map(d -> (double) d.to()).orElse((double) v.status().desired()))
                .description("The replica count the scaling policy last decided").tag("service", service)
                .strongReference(true).register(registry);
        ScalingCounter scalings = new ScalingCounter(view);
        scalingCounters.add(scalings);
        FunctionCounter.builder("longshore.scaling.decisions", scalings, ScalingCounter::count)
                .description("Changes of the desired replica count").tag("service", service).register(registry);
    }

    /** The Prometheus text exposition. */
    public String scrape() {
        return registry.scrape();
    }

    private static double count(List<ReplicaView> replicas, ReplicaState state) {
        return replicas.stream().filter(r -> r.state() == state).count();
    }

    /** Counts Scaled events seen in the orchestrator's recent events since the last scrape. */
    private static final class ScalingCounter {
        private final ServiceView view;
        private OrchestratorEvent newestSeen;
        private long count;

        ScalingCounter(ServiceView view) {
            this.view = view;
        }

        synchronized double count() {
            List<OrchestratorEvent> events;
            try {
                events = view.recentEvents(EVENTS_SCANNED);
            } catch (RuntimeException e) {
                return count;
            }
            for (OrchestratorEvent event : events) {
                if (event.equals(newestSeen)) {
                    break;
                }
                if (event instanceof OrchestratorEvent.Scaled) {
                    count++;
                }
            }
            if (!events.isEmpty()) {
                newestSeen = events.get(0);
            }
            return count;
        }
    }
}
