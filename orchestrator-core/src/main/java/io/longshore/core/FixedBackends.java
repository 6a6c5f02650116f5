package io.longshore.core;

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
 * {@link CandidateFilter} (with its panic threshold) decides what is routed, as for an
 * orchestrator. Readmission happens lazily at the first lease after an ejection ends (one
 * volatile read per lease while nothing is ejected). Publications are serialised by this
 * object's lock, off the hot path. Thread-safe.
 */
final class FixedBackends implements DefaultRouter.Hooks {
    private static final long NONE = Long.MAX_VALUE;

    private final List<ReplicaBackend> all;
    private final OutlierEjection ejection;
    private final CandidateFilter filter;
    private final Clock clock;
    private final Map<ReplicaBackend, Long> ejectedUntil = new HashMap<>();
    private final Map<ReplicaBackend, Long> readySince = new HashMap<>();
    private volatile long nextReadmitNanos = NONE;
    private RoutingPublisher publisher;

    FixedBackends(List<ReplicaBackend> all, OutlierDetection settings, Clock clock) {
        this.all = List.copyOf(all);
        this.ejection = new OutlierEjection(settings);
        this.filter = CandidateFilter.standard(settings.panicThresholdPercent());
        this.clock = clock;
        long now = clock.nanoTime();
        this.all.forEach(backend -> readySince.put(backend, now));
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
    public void beforeLease() {
        long due = nextReadmitNanos;
        if (due != NONE && clock.nanoTime() - due >= 0) {
            readmitDue();
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

    private synchronized void readmitDue() {
        if (readmitExpired(clock.nanoTime())) {
            publish();
        }
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
        publisher.publish(candidates(), clock.nanoTime());
        nextReadmitNanos = ejectedUntil.values().stream().mapToLong(Long::longValue).min().orElse(NONE);
    }
}
