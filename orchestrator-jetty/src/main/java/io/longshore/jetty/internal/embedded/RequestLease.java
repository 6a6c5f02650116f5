package io.longshore.jetty.internal.embedded;

import io.longshore.api.Backend;
import io.longshore.api.Clock;
import io.longshore.core.Lease;
import io.longshore.jetty.internal.policy.LeaseOutcomes;
import io.longshore.jetty.internal.policy.RetryRules;

/**
 * The replica lease of one embedded request (an {@link Exchange}'s or an {@link UpgradeExchange}'s),
 * attempt after attempt, on its router's clock: leases the first replica, or another than one
 * that failed by the {@link RetryRules}, and tells the lease each attempt's outcome, a user's
 * router that throws on it logged ({@link LeaseOutcomes}). A defect of the gateway's own lets it
 * go as {@link Lease.Failure#CANCELLED}, as of the last leasing when the router's clock throws.
 * What the router or its clock throws while leasing goes to the caller. Log lines name the
 * request by its {@code toString()}. Thread-safe as far as its request's calls need: they come one
 * after another, on Jetty's threads.
 */
final class RequestLease {
    private final Lease lease;
    private final Clock routerClock;
    /** The request, as log lines name it. */
    private final Object request;
    /** The router clock's reading when the last attempt was leased. */
    private volatile long leasedAtNanos;

    /** {@code lease}, a router's, on that router's {@code routerClock}, for {@code request}. */
    RequestLease(Lease lease, Clock routerClock, Object request) {
        this.lease = lease;
        this.routerClock = routerClock;
        this.request = request;
    }

    /** The router's lease itself (for the waiting line, which leases for the request it resumes). */
    Lease lease() {
        return lease;
    }

    /** The router's clock. */
    Clock clock() {
        return routerClock;
    }

    /** The router's clock now. */
    long now() {
        return routerClock.nanoTime();
    }

    /**
     * Leases a replica for {@code route}: any ({@code excluded} null) or, for a retry, one other
     * than {@code excluded} by {@code rules}. Whether one was leased.
     */
    boolean acquire(HostRequest route, Backend excluded, RetryRules rules) {
        long now = routerClock.nanoTime();
        leasedAtNanos = now;
        return excluded == null ? lease.acquire(route, null, now) : rules.leaseOther(lease, route, excluded, now);
    }

    /** The replica leased last. */
    Backend backend() {
        return lease.backend();
    }

    boolean isHeld() {
        return lease.isHeld();
    }

    /** The replica answered {@code status}, now. */
    void complete(int status) {
        complete(status, routerClock.nanoTime());
    }

    /** The replica answered {@code status} at {@code atNanos} of the router's clock. */
    void complete(int status, long atNanos) {
        LeaseOutcomes.complete(lease, status, atNanos, request);
    }

    /** The replica did not answer: {@code kind}, now. */
    void fail(Lease.Failure kind) {
        LeaseOutcomes.fail(lease, kind, routerClock.nanoTime(), false, request);
    }

    /**
     * The gateway's own code failed the request: the lease, if still held, is let go of as
     * {@link Lease.Failure#CANCELLED} (the defect says nothing of the replica), now or, when the
     * router's clock throws, as of the last leasing.
     */
    void cancelForDefect() {
        long now = LeaseOutcomes.nowOr(routerClock, leasedAtNanos, request);
        LeaseOutcomes.fail(lease, Lease.Failure.CANCELLED, now, true, request);
    }
}
