package io.longshore.jetty.internal.engine;

import io.longshore.api.Backend;
import io.longshore.core.Router;
import io.longshore.jetty.internal.RetryBudget;
import io.longshore.jetty.internal.http.RequestHead;

/**
 * What one request may still try after a failure, and the counts that bound it: a refused
 * connection goes elsewhere up to {@link #MAX_CONNECT_RETRIES} times for any method (nothing
 * reached the replica), an answered, reset or timed-out attempt goes elsewhere once for an
 * idempotent method within the retry budget, and a pooled connection found closed goes again
 * once on a new connection. Every rule also needs the request body to be whole in the client's
 * buffer. Reset per request; confined to the worker's thread.
 */
final class RetryRules {
    /** Connect failures retried on other replicas before giving up with 502. */
    static final int MAX_CONNECT_RETRIES = 2;

    private final RequestHead request;
    private final RequestForwarder requestForwarder;
    private final RetryBudget budget;
    private int connectRetries;
    private boolean retried;
    private boolean staleRetried;

    RetryRules(RequestHead request, RequestForwarder requestForwarder, RetryBudget budget) {
        this.request = request;
        this.requestForwarder = requestForwarder;
        this.budget = budget;
    }

    void reset() {
        connectRetries = 0;
        retried = false;
        staleRetried = false;
    }

    /** Whether a refused connection may go to another replica; counts it when so. */
    boolean takeConnectRetry() {
        if (connectRetries < MAX_CONNECT_RETRIES && requestForwarder.isReplayable()) {
            connectRetries++;
            return true;
        }
        return false;
    }

    /**
     * Whether an attempt on {@code failed} may go once more to another of {@code router}'s
     * replicas: an idempotent method, no retry yet, another routable replica, and budget left
     * (taken when so).
     */
    boolean takeRetryElsewhere(Router router, Backend failed) {
        if (retried || !request.method().isIdempotent() || !requestForwarder.isReplayable()
                || !hasOtherRoutable(router, failed) || !budget.tryWithdraw()) {
            return false;
        }
        retried = true;
        return true;
    }

    /**
     * Whether an attempt whose pooled connection turned out closed before the replica sent
     * anything may go again on a new connection; counts it when so.
     */
    boolean takeStaleRetry(UpstreamConnection connection, boolean receivedNothing) {
        if (staleRetried || connection == null || !connection.wasReused() || !receivedNothing
                || !request.method().isIdempotent() || !requestForwarder.isReplayable()) {
            return false;
        }
        staleRetried = true;
        return true;
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
