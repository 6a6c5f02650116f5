package io.longshore.jetty.internal.policy;

import io.longshore.api.Clock;
import io.longshore.api.internal.UserCode;
import io.longshore.core.Lease;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a router's {@link Lease} a request's outcome, a user's router included: one that throws
 * is logged at WARN, and the request's own outcome stands (its response has gone, or goes, to
 * the client as it came). {@code request} names the request in the log line. Stateless.
 */
public final class LeaseOutcomes {
    private static final Logger LOG = LoggerFactory.getLogger(LeaseOutcomes.class);

    private LeaseOutcomes() {
    }

    /** The replica answered {@code status} at {@code nowNanos} of the router's clock. */
    public static void complete(Lease lease, int status, long nowNanos, Object request) {
        try {
            lease.complete(status, nowNanos);
        } catch (RuntimeException | Error e) {
            failed(e, "the outcome " + status, request);
        }
    }

    /** The replica did not answer; with {@code ifHeld}, only a lease still held (asking is guarded too). */
    public static void fail(Lease lease, Lease.Failure kind, long nowNanos, boolean ifHeld, Object request) {
        try {
            if (ifHeld && !lease.isHeld()) {
                return;
            }
            lease.fail(kind, nowNanos);
        } catch (RuntimeException | Error e) {
            failed(e, "the failure " + kind, request);
        }
    }

    /**
     * The router {@code clock}'s reading now or, when reading it throws (a user's clock; logged),
     * {@code fallbackNanos}: a lease must be let go of all the same, as of, say, its start.
     */
    public static long nowOr(Clock clock, long fallbackNanos, Object request) {
        try {
            return clock.nanoTime();
        } catch (RuntimeException | Error e) {
            UserCode.rethrowIfFatal(e);
            LOG.warn("the router's clock failed; the lease of {} is let go of as of its start", request, e);
            return fallbackNanos;
        }
    }

    private static void failed(Throwable e, String what, Object request) {
        UserCode.rethrowIfFatal(e);
        LOG.warn("the router failed to take {} of {}", what, request, e);
    }
}
