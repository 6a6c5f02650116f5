package io.longshore.jetty.internal.metrics;

import io.longshore.api.Clock;
import io.longshore.api.Scheduler;
import io.longshore.core.ReplicaView;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends the per-replica series of replicas that left ({@link ServiceMetrics#retainReplicas}): every
 * {@link #INTERVAL}, from {@link #start} to {@link #stop}, it reads each service's replicas and
 * lets its metrics drop what is gone, {@link ServiceMetrics#GONE_REPLICA_GRACE} after it went as of
 * the gateway's clock. It has no thread of its own: its rounds run on a timer the gateway already
 * has (the standalone engine's, or the host server's scheduler for an embedded gateway). It belongs
 * to the gateway, not to the admin API, so it runs whether or not a host mounts the admin handler.
 * Thread-safe.
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
    /** The current run of rounds; {@code null} while stopped. */
    private Run run;

    /** One start-to-stop run of rounds on one timer. */
    private static final class Run {
        final Scheduler timer;
        Scheduler.Cancellable next;

        Run(Scheduler timer) {
            this.timer = timer;
        }
    }

    /** {@code clock} is the gateway's, the one the outcomes are recorded on. */
    public ReplicaSeriesSweeper(List<Service> services, Clock clock) {
        this.services = List.copyOf(services);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Starts sweeping every {@link #INTERVAL} on {@code timer}, which the caller owns and keeps
     * running until {@link #stop}; idempotent while started.
     */
    public synchronized void start(Scheduler timer) {
        Objects.requireNonNull(timer, "timer");
        if (run == null) {
            run = new Run(timer);
            plan(run);
        }
    }

    /** Stops sweeping (a round under way finishes); idempotent. */
    public synchronized void stop() {
        if (run != null && run.next != null) {
            run.next.cancel();
        }
        run = null;
    }

    /** Plans the next round of {@code of}, unless it was stopped meanwhile. */
    private synchronized void plan(Run of) {
        if (run != of) {
            return;
        }
        try {
            of.next = of.timer.schedule(() -> round(of), INTERVAL);
        } catch (RuntimeException e) { // the timer stopped before the sweeper did
            LOG.debug("the metrics sweep could not be scheduled; sweeping stops", e);
            run = null;
        }
    }

    private void round(Run of) {
        synchronized (this) {
            if (run != of) {
                return;
            }
        }
        try {
            sweep();
        } finally {
            plan(of);
        }
    }

    /**
     * Lets every service's metrics drop the replicas gone from it as of the clock's now. What each
     * round does (tests call it directly too); a service whose replicas cannot be read is skipped
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
