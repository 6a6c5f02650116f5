package io.longshore.jetty.internal.engine;

import io.longshore.api.Backend;
import io.longshore.jetty.internal.policy.GatewayReply;
import io.longshore.jetty.internal.policy.WaitingRequest;

/**
 * The engine's side of the waiting line for one {@link ReplicaAttempt} (the line's rules are
 * {@link WaitingRequest}'s): the exchange waits without blocking the event loop (the client's
 * connection is only listened to, to hear it go away), the line's wake comes back onto the
 * worker's thread in the selector's next round, the worker's timer ends the wait, and a leased
 * replica goes on to its connection. One per attempt; confined to the worker's thread but for the
 * wake, which only hands over.
 */
final class LineWait implements WaitingRequest.Transport {
    private static final Runnable NOT_CANCELLED = () -> { };

    private final ReplicaAttempt attempt;
    private final ProxyExchange exchange;
    private final ProxyWorker worker;

    LineWait(ReplicaAttempt attempt, ProxyExchange exchange, ProxyWorker worker) {
        this.attempt = attempt;
        this.exchange = exchange;
        this.worker = worker;
    }

    @Override
    public void resume(Runnable task) {
        worker.later(task);
    }

    /** The worker's timer cannot be cancelled: a late one finds the wait over and does nothing. */
    @Override
    public Runnable waitStarted(Runnable timeout, long maxWaitMillis) {
        exchange.waiting();
        worker.schedule(timeout, maxWaitMillis);
        return NOT_CANCELLED;
    }

    @Override
    public void leased(Backend backend, long nowNanos) {
        attempt.leasedAfterWaiting(nowNanos);
    }

    @Override
    public void reply(GatewayReply reply) {
        exchange.reply(reply);
    }
}
