package io.longshore.core.internal;

import io.longshore.api.Backend;
import io.longshore.core.Lease;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/** A lease on one backend; the first outcome counts, later ones are ignored. Thread-safe. */
final class RouterLease implements Lease {
    private static final AtomicIntegerFieldUpdater<RouterLease> DONE =
            AtomicIntegerFieldUpdater.newUpdater(RouterLease.class, "done");

    private final DefaultRouter router;
    private final ReplicaBackend backend;
    private final long startNanos;
    private volatile int done;

    RouterLease(DefaultRouter router, ReplicaBackend backend, long startNanos) {
        this.router = router;
        this.backend = backend;
        this.startNanos = startNanos;
    }

    @Override
    public Backend backend() {
        return backend;
    }

    @Override
    public void complete(int status) {
        if (DONE.compareAndSet(this, 0, 1)) {
            router.completed(backend, startNanos, status, router.clock().nanoTime());
        }
    }

    @Override
    public void fail(Failure failure) {
        if (DONE.compareAndSet(this, 0, 1)) {
            router.failed(backend, startNanos, failure, router.clock().nanoTime());
        }
    }

    @Override
    public String toString() {
        return "lease on " + backend;
    }
}
