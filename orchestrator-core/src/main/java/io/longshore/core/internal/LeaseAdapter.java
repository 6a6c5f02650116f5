package io.longshore.core.internal;

import io.longshore.api.Backend;
import io.longshore.api.RouteRequest;
import io.longshore.core.Lease;
import io.longshore.core.LeaseHandle;
import io.longshore.core.Router;
import java.util.Optional;

/**
 * A {@link LeaseHandle} over any router's {@link Router#lease} and {@link Lease}: what a
 * router of the caller's own gets by default. It allocates what that router allocates, and
 * the lease measures time with the router's own clock (the times passed are not used). Not
 * thread-safe, like every handle.
 */
public final class LeaseAdapter implements LeaseHandle {
    private final Router router;
    private Lease lease;

    public LeaseAdapter(Router router) {
        this.router = router;
    }

    @Override
    public boolean acquire(RouteRequest request, Backend excluded, long nowNanos) {
        if (lease != null) {
            throw new IllegalStateException("a lease is still held on " + lease.backend());
        }
        Optional<Lease> leased = excluded == null ? router.lease(request) : router.leaseExcluding(request, excluded);
        lease = leased.orElse(null);
        return lease != null;
    }

    @Override
    public boolean isHeld() {
        return lease != null;
    }

    @Override
    public Backend backend() {
        return lease == null ? null : lease.backend();
    }

    @Override
    public void complete(int status, long nowNanos) {
        Lease held = lease;
        lease = null;
        if (held != null) {
            held.complete(status);
        }
    }

    @Override
    public void fail(Lease.Failure failure, long nowNanos) {
        Lease held = lease;
        lease = null;
        if (held != null) {
            held.fail(failure);
        }
    }
}
