package io.longshore.core;

import io.longshore.api.Backend;
import io.longshore.api.Clock;
import io.longshore.core.internal.DefaultRouter;
import io.longshore.core.internal.ReplicaBackend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The owner of a router over fixed backends ({@link Routers#fixed}), which nothing probes or
 * replaces: every backend is READY unless {@link OutlierEjection} ejected it, and the
 * {@link CandidateFilter} (with its panic threshold and slow start) decides what is routed, as
 * for an orchestrator. The backends given are taken as warm; one readmitted after an ejection
 * slow-starts. Readmission and the steps of a slow-start ramp happen lazily at the first lease
 * after they are due (one volatile read per lease while nothing is due). Publications are
 * serialised by this object's lock, off the hot path. Thread-safe.
 */
final class FixedBackends implements DefaultRouter.Hooks {
    private static final long NONE = Long.MAX_VALUE;
    /** The ready-since time of a backend given warm: long enough ago for any slow start. */
    private static final long WARM = Long.MIN_VALUE;

    private final List<ReplicaBackend> all;
    private final Optional<List<Backend>> backends;
    private final OutlierEjection ejection;
    private final CandidateFilter filter;
    private final Clock clock;
    private final Map<ReplicaBackend, Long> ejectedUntil = new HashMap<>();
    private final Map<ReplicaBackend, Long> readySince = new HashMap<>();
    /** When the next readmission or slow-start step is due; {@link #NONE} when none is. */
    private volatile long nextDueNanos = NONE;
    private RoutingPublisher publisher;

    FixedBackends(List<ReplicaBackend> all, OutlierDetection settings, SlowStart slowStart, Clock clock) {
        this.all = List.copyOf(all);
        this.backends = Optional.of(List.copyOf(all));
        this.ejection = new OutlierEjection(settings);
        this.filter = CandidateFilter.standard(settings.panicThresholdPercent(), slowStart);
        this.clock = clock;
        this.all.forEach(backend -> readySince.put(backend, WARM));
    }

    /** Failures in a row after which the router reports a backend; 0 when detection is off. */
    int reportThreshold() {
        return ejection.reportThreshold();
    }

    synchronized void attach(DefaultRouter router) {
        this.publisher = new RoutingPublisher(router, filter);
        publish();
    }

    @Override
    public Optional<List<Backend>> backends() {
        return backends;
    }

    @Override
    public void beforeLease() {
        long due = nextDueNanos;
        if (due != NONE && clock.nanoTime() - due >= 0) {
            publishDue();
        }
    }

    @Override
    public synchronized void outlier(ReplicaBackend backend) {
        long now = clock.nanoTime();
        readmitExpired(now);
        Optional<Duration> length = ejection.eject(backend, candidates());
        if (length.isPresent()) {
            ejectedUntil.put(backend, now + length.get().toNanos());
            publish();
        }
    }

    private synchronized void publishDue() {
        readmitExpired(clock.nanoTime());
        publish();
    }

    private boolean readmitExpired(long now) {
        List<ReplicaBackend> due = new ArrayList<>();
        ejectedUntil.forEach((backend, until) -> {
            if (now - until >= 0) {
                due.add(backend);
            }
        });
        for (ReplicaBackend backend : due) {
            ejectedUntil.remove(backend);
            readySince.put(backend, now);
            ejection.readmitted(backend);
        }
        return !due.isEmpty();
    }

    private List<Candidate> candidates() {
        List<Candidate> candidates = new ArrayList<>(all.size());
        for (ReplicaBackend backend : all) {
            Candidate.Condition condition = ejectedUntil.containsKey(backend)
                    ? Candidate.Condition.EJECTED : Candidate.Condition.READY;
            candidates.add(Candidate.of(backend, condition, readySince.get(backend)));
        }
        return candidates;
    }

    private void publish() {
        long now = clock.nanoTime();
        CandidateFilter.Selection selection = publisher.publish(candidates(), now);
        long readmit = ejectedUntil.values().stream().mapToLong(Long::longValue).min().orElse(NONE);
        long ramp = publisher.reselectAfter(selection).map(step -> now + step.toNanos()).orElse(NONE);
        nextDueNanos = Math.min(readmit, ramp);
    }
}
