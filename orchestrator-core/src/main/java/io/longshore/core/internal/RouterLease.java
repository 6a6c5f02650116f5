package io.longshore.core.internal;

import io.longshore.api.Backend;
import io.longshore.api.RouteRequest;
import io.longshore.core.Lease;

/**
 * {@link DefaultRouter}'s lease: a backend and the time it was acquired, held by one caller, so
 * leasing allocates nothing and needs no once-only compare-and-set. The router picks the backend;
 * its {@link RequestOutcomes} count how the request ended. Not thread-safe, like every lease.
 */
final class RouterLease implements Lease {
    private final DefaultRouter router;
    private final RequestOutcomes outcomes;
    private ReplicaBackend backend;
    private long startNanos;
    private boolean mayWait;

    RouterLease(DefaultRouter router, RequestOutcomes outcomes) {
        this.router = router;
        this.outcomes = outcomes;
    }

    @Override
    public boolean acquire(RouteRequest request, Backend excluded, long nowNanos) {
        return acquire(request, excluded, null, nowNanos);
    }

    @Override
    public boolean acquire(RouteRequest request, Backend excluded, Backend alsoExcluded, long nowNanos) {
        if (backend != null) {
            throw new IllegalStateException("a lease is still held on " + backend);
        }
        ReplicaBackend chosen = router.acquire(request, excluded, alsoExcluded, nowNanos, this);
        if (chosen == null) {
            return false;
        }
        backend = chosen;
        startNanos = nowNanos;
        return true;
    }

    /** Why the acquire under way finds nothing: {@code true} for no room (no backend, or all at their limit). */
    void missed(boolean noRoom) {
        this.mayWait = noRoom;
    }

    @Override
    public boolean mayWait() {
        return mayWait;
    }

    @Override
    public boolean isHeld() {
        return backend != null;
    }

    @Override
    public Backend backend() {
        return backend;
    }

    @Override
    public void complete(int status, long nowNanos) {
        ReplicaBackend held = backend;
        if (held != null) {
            backend = null;
            outcomes.completed(held, startNanos, status, nowNanos);
        }
    }

    @Override
    public void fail(Failure failure, long nowNanos) {
        ReplicaBackend held = backend;
        if (held != null) {
            backend = null;
            outcomes.failed(held, startNanos, failure, nowNanos);
        }
    }

    @Override
    public String toString() {
        return backend == null ? "free lease" : "lease on " + backend;
    }
}
