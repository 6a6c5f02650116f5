package io.longshore.jetty.internal.metrics;

import io.longshore.api.Clock;
import io.longshore.core.ReplicaView;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends the per-replica series of replicas that left ({@link ServiceMetrics#retainReplicas}): every
 * {@link #INTERVAL}, on a daemon thread of its own from {@link #start} to {@link #stop}, it reads
 * each service's replicas and lets its metrics drop what is gone, {@link ServiceMetrics#GONE_REPLICA_GRACE}
 * after it went as of the gateway's clock. It belongs to the gateway, not to the admin API, so
 * it runs whether or not a host mounts the admin handler. Thread-safe.
 */
public final class ReplicaSeriesSweeper {
    /** How often the replicas are read: a gone replica's series end at most this long after its grace. */
    public static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaSeriesSweeper.class);

    /** One service's metrics and where its replicas are read. */
    public record Service(String name, ServiceMetrics metrics, Supplier<List<ReplicaView>> replicas) {
        public Service {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(metrics, "metrics");
            Objects.requireNonNull(replicas, "replicas");
        }
    }

    private final List<Service> services;
    private final Clock clock;
    private ScheduledExecutorService timer;

    /** {@code clock} is the gateway's, the one the outcomes are recorded on. */
    public ReplicaSeriesSweeper(List<Service> services, Clock clock) {
        this.services = List.copyOf(services);
        this.clock = clock;
    }

    /** Starts sweeping every {@link #INTERVAL}; idempotent. */
    public synchronized void start() {
        if (timer != null) {
            return;
        }
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "longshore-metrics-sweeper");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::sweep, INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        timer = executor;
    }

    /** Stops sweeping; idempotent. */
    public synchronized void stop() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }

    /**
     * Lets every service's metrics drop the replicas gone from it as of the clock's now. The
     * timer's task (tests call it directly); a service whose replicas cannot be read is skipped
     * this time.
     */
    void sweep() {
        long now = clock.nanoTime();
        for (Service service : services) {
            try {
                Set<String> live = new HashSet<>();
                for (ReplicaView replica : service.replicas().get()) {
                    live.add(replica.id());
                }
                service.metrics().retainReplicas(live, now);
            } catch (RuntimeException e) {
                LOG.warn("the replicas of service {} could not be read to end the series of gone ones; trying again",
                        service.name(), e);
            }
        }
    }
}
