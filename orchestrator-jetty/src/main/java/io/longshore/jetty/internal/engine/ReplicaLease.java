package io.longshore.jetty.internal.engine;

import io.longshore.api.Backend;
import io.longshore.api.Clock;
import io.longshore.api.RouteRequest;
import io.longshore.api.internal.UserCode;
import io.longshore.core.Lease;
import io.longshore.core.Router;
import io.longshore.jetty.internal.metrics.ProxyError;
import io.longshore.jetty.internal.metrics.ServiceMetrics;
import io.longshore.jetty.internal.policy.RetryRules;
import io.longshore.jetty.internal.policy.StickyCookie;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replica lease of one {@link ReplicaAttempt}, attempt after attempt, and the reports of each
 * attempt's outcome: to its route's reusable {@link Lease} exactly once (on the router's clock) and
 * to the route's {@link ServiceMetrics} (on the gateway's clock). Lease times are the gateway's own
 * clock readings when the router runs on the same clock, so a request costs two clock reads. Also
 * keeps what the access log reads of the attempts. One per attempt, reused request after request;
 * confined to the worker's thread.
 */
final class ReplicaLease {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaLease.class);
    private final EngineContext context;
    private final Lease[] handles;
    private Lease lease;
    /** The route's sticky cookie, or null. */
    private StickyCookie sticky;
    private Router router;
    private ServiceMetrics metrics;
    private Clock routerClock;
    private boolean sameClock;
    /** When the current attempt leased its replica, on the gateway's clock. */
    private long attemptStartNanos;
    /** The same moment on the router's clock. */
    private long attemptStartRouterNanos;
    private Backend lastBackend;
    private int answeredStatus;
    private int retries;
    private long switchedAt;
    /** The switch's moment on the gateway's clock (for the replica's load window). */
    private long switchedGatewayNanos;

    ReplicaLease(EngineContext context) {
        this.context = context;
        this.handles = new Lease[context.routeCount()];
    }

    /** A new request on {@code route}. */
    void begin(int route) {
        lastBackend = null;
        answeredStatus = 0;
        retries = 0;
        router = context.router(route);
        sticky = context.sticky(route);
        metrics = context.metrics(route);
        if (handles[route] == null) {
            handles[route] = router.newLease();
        }
        lease = handles[route];
        routerClock = router.clock();
        sameClock = routerClock == context.settings.clock();
    }

    Lease lease() {
        return lease;
    }

    Router router() {
        return router;
    }

    ServiceMetrics metrics() {
        return metrics;
    }

    Clock routerClock() {
        return routerClock;
    }

    /** The router clock's time, given the gateway clock's reading {@code gatewayNanos} of the same moment. */
    long routerNanos(long gatewayNanos) {
        return sameClock ? gatewayNanos : routerClock.nanoTime();
    }

    /** The gateway clock's time, given the router clock's reading {@code routerNanos} of the same moment. */
    private long toGatewayNanos(long routerNanos) {
        return sameClock ? routerNanos : context.settings.clock().nanoTime();
    }

    /**
     * Leases a replica for {@code request} at {@code now} of the router's clock: any one for a first
     * attempt ({@code excluded} null), else one the retry {@code rules} allow. True when held.
     */
    boolean acquire(RouteRequest request, Backend excluded, RetryRules rules, long now) {
        return excluded == null ? lease.acquire(request, null, now) : rules.leaseOther(lease, request, excluded, now);
    }

    boolean isHeld() {
        return lease != null && lease.isHeld();
    }

    /** The held replica. */
    Backend backend() {
        return lease.backend();
    }

    /** The {@code Set-Cookie} line the response of the held replica needs (sticky sessions), or null. */
    byte[] stickyLine(ProxyExchange exchange) {
        return sticky != null && lease.isHeld() && sticky.needsSetting(exchange, lease.backend())
                ? sticky.line(lease.backend()) : null;
    }

    /** The lease is held from {@code now} of the router's clock: an attempt starts on its replica. */
    void attemptStarted(long now) {
        attemptStartRouterNanos = now;
        attemptStartNanos = toGatewayNanos(now);
        lastBackend = lease.backend();
    }

    /** The attempt failed as {@code kind}: reported; returns the router clock's time it used. */
    long failed(Lease.Failure kind) {
        Backend backend = lease.backend();
        long now = routerClock.nanoTime();
        try {
            lease.fail(kind, now);
        } catch (RuntimeException | Error e) { // a user's router: the request's outcome stands
            reportFailed(e);
        }
        long end = toGatewayNanos(now);
        metrics.outcome(backend, 0, end, end - attemptStartNanos);
        return now;
    }

    /**
     * Lets go of the lease, if still held, as {@link Lease.Failure#CANCELLED} when the exchange
     * could not end the usual way: every call into the router is guarded (its clock too, the
     * attempt's start standing in for now when it throws), so the lease cannot stay held.
     */
    void abandon() {
        try {
            if (!isHeld()) {
                return;
            }
            long now;
            try {
                now = routerClock.nanoTime();
            } catch (RuntimeException e) {
                now = attemptStartRouterNanos;
            }
            lease.fail(Lease.Failure.CANCELLED, now);
        } catch (RuntimeException | Error e) {
            reportFailed(e);
        }
    }

    /**
     * The replica answered {@code status} just now (a 502/503/504 to retry): reported; returns the
     * router clock's time it used.
     */
    long answeredNow(int status) {
        long now = routerClock.nanoTime();
        answered(status, now, toGatewayNanos(now));
        return now;
    }

    /** The replica's whole response arrived at {@code gatewayNanos}: reported. */
    void answeredAt(int status, long gatewayNanos) {
        answered(status, routerNanos(gatewayNanos), gatewayNanos);
    }

    private void answered(int status, long routerNanos, long gatewayNanos) {
        Backend backend = lease.backend();
        try {
            lease.complete(status, routerNanos);
        } catch (RuntimeException | Error e) {
            reportFailed(e);
        }
        metrics.outcome(backend, status, gatewayNanos, gatewayNanos - attemptStartNanos);
        answeredStatus = status;
    }

    private void reportFailed(Throwable e) {
        UserCode.rethrowIfFatal(e);
        LOG.warn("the router {} failed to take a request's outcome", router, e);
    }

    /** The replica switched protocols now; the lease stays held while the tunnel lives. */
    void switched() {
        switchedAt = routerClock.nanoTime();
        switchedGatewayNanos = toGatewayNanos(switchedAt);
    }

    /**
     * The tunnel closed: the lease is reported as answered 101 at the moment of the switch, so
     * the replica's latency is the handshake's, not the tunnel's life.
     */
    void tunnelClosed() {
        if (isHeld()) {
            answered(101, switchedAt, switchedGatewayNanos);
        }
    }

    void error(ProxyError error) {
        metrics.error(error);
    }

    /** One more attempt of the request. */
    void retried() {
        metrics.retry();
        retries++;
    }

    // ---- what the access log reads ----

    /** The replica of the request's last attempt, {@code null} when none was leased. */
    String replicaId() {
        return lastBackend == null ? null : lastBackend.id();
    }

    /** The status the last replica answered with, 0 when none answered whole. */
    int answeredStatus() {
        return answeredStatus;
    }

    /** Attempts beyond the first. */
    int retries() {
        return retries;
    }
}
