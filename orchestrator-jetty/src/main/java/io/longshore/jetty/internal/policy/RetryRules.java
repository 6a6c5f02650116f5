package io.longshore.jetty.internal.policy;

import io.longshore.api.Backend;
import io.longshore.api.RouteRequest;
import io.longshore.core.Lease;
import io.longshore.core.Router;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * When one request may be sent again, for both proxies:
 * <ul>
 *   <li>a refused connection (nothing reached the replica) goes to another replica, whatever the
 *       method, up to {@link #MAX_CONNECT_RETRIES} times, without spending the retry budget;</li>
 *   <li>an attempt that was answered 502, 503 or 504, was reset or timed out goes once to another
 *       replica when the method is idempotent, another replica is routable and the
 *       {@link RetryBudget} has a token, after a random pause of up to the maximum backoff;</li>
 *   <li>a pooled keep-alive connection that turned out closed before the replica sent anything
 *       goes once more, on a new connection to the same replica, for an idempotent method;</li>
 *   <li>an upgrade request (WebSocket, h2c) goes to no other replica once it reached one: what it
 *       asked for (a protocol switch) is not to be asked twice;</li>
 *   <li>every rule needs the request to be replayable (its body still whole), and a retry never
 *       goes to the replica that just failed, nor to the one that failed before it.</li>
 * </ul>
 * One per request in flight, {@link #start started} anew for each; confined to the request's
 * thread of control. The pause's generator is the caller's (one per event loop).
 */
public final class RetryRules {
    /** Refused connections retried on other replicas before the gateway answers 502. */
    public static final int MAX_CONNECT_RETRIES = 2;

    private final RetryBudget budget;
    private final long maxPauseMillis;
    private final RandomGenerator random;
    private boolean idempotent;
    private boolean upgrade;
    private int connectRetries;
    private boolean retried;
    private boolean staleRetried;
    private Backend lastFailed;

    /**
     * @param budget         the gateway's retry budget, shared by every request
     * @param maxPauseMillis the longest pause before a retry elsewhere
     * @param random         the pause's generator, confined to the caller's thread like the rules
     */
    public RetryRules(RetryBudget budget, long maxPauseMillis, RandomGenerator random) {
        this.budget = Objects.requireNonNull(budget, "budget");
        if (maxPauseMillis < 0) {
            throw new IllegalArgumentException("maxPauseMillis must be >= 0, was " + maxPauseMillis);
        }
        this.maxPauseMillis = maxPauseMillis;
        this.random = Objects.requireNonNull(random, "random");
    }

    /** A new request; {@code idempotentMethod} says whether sending it twice is safe (RFC 9110 9.2.2). */
    public void start(boolean idempotentMethod) {
        start(idempotentMethod, false);
    }

    /** The same for a request that asks to switch protocols when {@code upgradeRequest}. */
    public void start(boolean idempotentMethod, boolean upgradeRequest) {
        idempotent = idempotentMethod;
        upgrade = upgradeRequest;
        connectRetries = 0;
        retried = false;
        staleRetried = false;
        lastFailed = null;
    }

    /** Whether a refused connection may go to another replica; counts it when so. */
    public boolean takeConnectRetry(boolean replayable) {
        if (connectRetries < MAX_CONNECT_RETRIES && replayable) {
            connectRetries++;
            return true;
        }
        return false;
    }

    /**
     * Whether an attempt on {@code failed} may go once more to another of {@code router}'s
     * replicas; takes a token of the budget when so. The failed replica may have left the
     * routable set meanwhile (a probe ejected it), so what counts is that another is routable.
     */
    public boolean takeRetryElsewhere(Router router, Backend failed, boolean replayable) {
        if (retried || !idempotent || upgrade || !replayable || !hasOtherRoutable(router, failed)
                || !budget.tryWithdraw()) {
            return false;
        }
        retried = true;
        return true;
    }

    /**
     * Whether an attempt whose pooled connection turned out closed may go again on a new
     * connection to the same replica: the connection had served a request before and the
     * replica sent nothing on it this time. Counts it when so.
     */
    public boolean takeStaleRetry(boolean reusedConnection, boolean receivedNothing, boolean replayable) {
        if (staleRetried || !reusedConnection || !receivedNothing || !idempotent || !replayable) {
            return false;
        }
        staleRetried = true;
        return true;
    }

    /** Whether a replica's answer with {@code status} is worth trying elsewhere (502, 503, 504). */
    public static boolean isRetriedStatus(int status) {
        return status == 502 || status == 503 || status == 504;
    }

    /** The pause before a retry elsewhere: uniform in {@code 0..maxBackoff} milliseconds. */
    public long pauseMillis() {
        return maxPauseMillis == 0 ? 0 : random.nextLong(maxPauseMillis + 1);
    }

    /**
     * Leases a replica other than {@code failed} for the retry, and other than the one that
     * failed before it ({@link Lease#acquire(RouteRequest, Backend, Backend, long)}). Returns
     * false when there is no such replica.
     */
    public boolean leaseOther(Lease lease, RouteRequest request, Backend failed, long nowNanos) {
        Backend earlier = lastFailed;
        lastFailed = failed;
        return lease.acquire(request, failed, earlier, nowNanos);
    }

    private static boolean hasOtherRoutable(Router router, Backend failed) {
        for (Backend backend : router.routable()) {
            if (!backend.id().equals(failed.id())) {
                return true;
            }
        }
        return false;
    }
}
