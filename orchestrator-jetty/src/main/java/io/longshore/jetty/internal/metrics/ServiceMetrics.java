package io.longshore.jetty.internal.metrics;

import io.longshore.api.Backend;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The request-path meters of one service. Meters are registered once and cached, so recording
 * a request allocates nothing after a replica's first request. While {@link #trackLoad(boolean)
 * load tracking} is on (the admin API's live feed turns it on), each replica also keeps a
 * {@link LoadWindow} of its recent request rate and latency quantiles. A replica that leaves
 * (absent from the service's view when {@link #retainReplicas} looks, every
 * {@link ReplicaSeriesSweeper#INTERVAL}) loses its load window then and its per-replica series
 * {@link #GONE_REPLICA_GRACE} later: replaced and scaled-away
 * replicas would otherwise pile up series for the life of the gateway. Thread-safe.
 */
public final class ServiceMetrics {
    /**
     * How long a gone replica's series stay: longer than common scrape intervals (15 to 60 s), so
     * its last counts are scraped at least once before the series ends.
     */
    public static final Duration GONE_REPLICA_GRACE = Duration.ofMinutes(2);
    private static final String[] STATUS_CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx", "error"};
    private static final long NOT_GONE = Long.MIN_VALUE;

    private final String service;
    private final MeterRegistry registry;
    private final Timer latency;
    private final Counter retries;
    private final Timer coldStarts;
    private final Counter[] errors;
    private final ConcurrentHashMap<String, ReplicaMeters> replicas = new ConcurrentHashMap<>();
    private final AtomicInteger tunnels = new AtomicInteger();
    private final Counter tunnelsOpened;
    private volatile boolean trackLoad;

    ServiceMetrics(String service, MeterRegistry registry) {
        this.service = service;
        this.registry = registry;
        this.latency = Timer.builder("longshore.gateway.request.duration")
                .description("Time from receiving a request to the end of its response")
                .tag("service", service)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(100_000))
                .maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry);
        this.coldStarts = Timer.builder("longshore.cold.start")
                .description("From the first request held while no replica was routable to the first byte of its answer")
                .tag("service", service)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(10))
                .maximumExpectedValue(Duration.ofMinutes(5))
                .register(registry);
        this.retries = Counter.builder("longshore.gateway.retries")
                .description("Requests sent again to another replica").tag("service", service).register(registry);
        Gauge.builder("longshore.gateway.tunnels", tunnels, AtomicInteger::get)
                .description("Upgraded connections (WebSocket and others) open now").tag("service", service)
                .register(registry);
        this.tunnelsOpened = Counter.builder("longshore.gateway.tunnels.opened")
                .description("Connections upgraded into tunnels").tag("service", service).register(registry);
        ProxyError[] kinds = ProxyError.values();
        this.errors = new Counter[kinds.length];
        for (ProxyError kind : kinds) {
            errors[kind.ordinal()] = Counter.builder("longshore.gateway.proxy.errors")
                    .description("Responses the gateway shaped instead of a replica, by kind")
                    .tag("service", service).tag("kind", kind.label()).register(registry);
        }
    }

    public String service() {
        return service;
    }

    /** A request finished after {@code nanos}. */
    public void latency(long nanos) {
        latency.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A cold start took {@code nanos}. */
    public void coldStart(long nanos) {
        coldStarts.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void error(ProxyError kind) {
        errors[kind.ordinal()].increment();
    }

    /** A 101 turned a request into a tunnel. */
    public void tunnelOpened() {
        tunnels.incrementAndGet();
        tunnelsOpened.increment();
    }

    public void tunnelClosed() {
        tunnels.decrementAndGet();
    }

    /** Tunnels open now. */
    public int openTunnels() {
        return tunnels.get();
    }

    public void retry() {
        retries.increment();
    }

    /**
     * A replica answered with {@code status}, or failed when {@code status} is 0; the attempt
     * ended at {@code endNanos} of the gateway's clock and took {@code latencyNanos}.
     */
    public void outcome(Backend backend, int status, long endNanos, long latencyNanos) {
        ReplicaMeters meters = replicas.get(backend.id());
        if (meters == null) {
            meters = replicas.computeIfAbsent(backend.id(), ReplicaMeters::new);
        }
        meters.record(status);
        if (trackLoad) {
            meters.window().record(endNanos, latencyNanos, status != 0);
        }
    }

    /** Turns the per-replica load windows on or off (off drops them). */
    public void trackLoad(boolean on) {
        trackLoad = on;
        if (!on) {
            replicas.values().forEach(ReplicaMeters::dropWindow);
        }
    }

    /** A replica's recent load as of {@code nowNanos} (the gateway clock); none while not tracked. */
    public LoadWindow.Load load(String replicaId, long nowNanos) {
        ReplicaMeters meters = replicas.get(replicaId);
        LoadWindow window = meters == null ? null : meters.window;
        return window == null ? LoadWindow.Load.NONE : window.read(nowNanos);
    }

    /**
     * Drops the load windows of replicas other than {@code live} (those that are gone), and the
     * meters of those gone for {@link #GONE_REPLICA_GRACE} as of {@code nowNanos} (the gateway
     * clock). Called by the gateway's {@link ReplicaSeriesSweeper}; one caller at a time.
     */
    public synchronized void retainReplicas(Set<String> live, long nowNanos) {
        replicas.forEach((id, meters) -> {
            if (live.contains(id)) {
                meters.goneSince = NOT_GONE;
                return;
            }
            meters.dropWindow();
            if (meters.goneSince == NOT_GONE) {
                meters.goneSince = nowNanos;
            } else if (nowNanos - meters.goneSince >= GONE_REPLICA_GRACE.toNanos()) {
                replicas.remove(id, meters);
                meters.remove();
            }
        });
    }

    /** Requests routed to a replica so far. */
    public long requests(String replicaId) {
        ReplicaMeters meters = replicas.get(replicaId);
        return meters == null ? 0 : meters.requests.sum();
    }

    private final class ReplicaMeters {
        private final String replica;
        private final Counter[] byClass = new Counter[STATUS_CLASSES.length];
        private final LongAdder requests = new LongAdder();
        private volatile LoadWindow window;
        /** When the replica was first seen gone ({@link #NOT_GONE} while live); under the metrics' lock. */
        private long goneSince = NOT_GONE;
        /** Set once its series are removed: no counter is registered again (it would never be removed). */
        private boolean removed;

        ReplicaMeters(String replica) {
            this.replica = replica;
        }

        LoadWindow window() {
            LoadWindow current = window;
            if (current != null) {
                return current;
            }
            synchronized (this) {
                if (window == null) {
                    window = new LoadWindow();
                }
                return window;
            }
        }

        void dropWindow() {
            window = null;
        }

        void record(int status) {
            requests.increment();
            int index = status >= 100 && status < 600 ? status / 100 - 1 : STATUS_CLASSES.length - 1;
            Counter counter = byClass[index];
            if (counter == null) {
                counter = register(index);
            }
            if (counter != null) {
                counter.increment();
            }
        }

        /** The counter of a status class, registered now; null once removed (the count is lost with the replica). */
        private synchronized Counter register(int index) {
            if (removed) {
                return null;
            }
            if (byClass[index] == null) {
                byClass[index] = Counter.builder("longshore.gateway.requests")
                        .description("Requests forwarded, by replica and status class")
                        .tag("service", service).tag("replica", replica).tag("status", STATUS_CLASSES[index])
                        .register(registry);
            }
            return byClass[index];
        }

        /** Removes the replica's series from the registry. */
        synchronized void remove() {
            removed = true;
            for (Counter counter : byClass) {
                if (counter != null) {
                    registry.remove(counter);
                }
            }
        }
    }
}
