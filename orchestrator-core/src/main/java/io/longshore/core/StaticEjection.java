package io.longshore.core;

import io.longshore.api.Clock;
import io.longshore.core.internal.DefaultRouter;
import io.longshore.core.internal.ReplicaBackend;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Passive outlier ejection for a router without a control loop ({@link Routers#fixed}): the
 * outlier hook ejects a backend for {@code baseEjection × its ejection count} (capped), never
 * more than {@code maxEjectedPercent} of them, with the panic threshold applied; readmission
 * happens lazily at the first lease after an ejection ends (one volatile read per lease while
 * nothing is ejected). Publications are serialised by this object's lock, off the hot path.
 * Thread-safe.
 */
final class StaticEjection implements DefaultRouter.Hooks {
    private static final long NONE = Long.MAX_VALUE;

    private final List<ReplicaBackend> all;
    private final OutlierDetection settings;
    private final Clock clock;
    private final Map<ReplicaBackend, Long> ejectedUntil = new HashMap<>();
    private final Map<ReplicaBackend, Integer> ejections = new HashMap<>();
    private volatile long nextReadmitNanos = NONE;
    private DefaultRouter router;

    StaticEjection(List<ReplicaBackend> all, OutlierDetection settings, Clock clock) {
        this.all = List.copyOf(all);
        this.settings = settings;
        this.clock = clock;
    }

    synchronized void attach(DefaultRouter router) {
        this.router = router;
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
        removeExpired(now);
        if (!settings.enabled() || ejectedUntil.containsKey(backend)) {
            return;
        }
        if ((long) (ejectedUntil.size() + 1) * 100 > (long) settings.maxEjectedPercent() * all.size()) {
            backend.resetFailures();
            return;
        }
        int count = ejections.merge(backend, 1, Integer::sum);
        long length = Math.min(settings.baseEjection().toNanos() * count, settings.maxEjection().toNanos());
        ejectedUntil.put(backend, now + length);
        publish();
    }

    private synchronized void readmitDue() {
        if (removeExpired(clock.nanoTime())) {
            publish();
        }
    }

    private boolean removeExpired(long now) {
        boolean removed = ejectedUntil.entrySet().removeIf(e -> now - e.getValue() >= 0);
        if (removed) {
            all.forEach(b -> {
                if (!ejectedUntil.containsKey(b)) {
                    b.resetFailures();
                }
            });
        }
        return removed;
    }

    private void publish() {
        List<ReplicaBackend> healthy = new ArrayList<>();
        for (ReplicaBackend backend : all) {
            if (!ejectedUntil.containsKey(backend)) {
                healthy.add(backend);
            }
        }
        boolean panic = (long) healthy.size() * 100 < (long) settings.panicThresholdPercent() * all.size();
        router.publish(panic ? all : healthy);
        nextReadmitNanos = ejectedUntil.values().stream().mapToLong(Long::longValue).min().orElse(NONE);
    }
}
