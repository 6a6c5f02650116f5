package io.longshore.jetty.internal.engine;

import io.longshore.api.Clock;
import io.longshore.core.Lease;
import io.longshore.jetty.internal.metrics.ProxyError;
import io.longshore.jetty.internal.metrics.ServiceMetrics;
import io.longshore.jetty.internal.policy.GatewayReply;
import io.longshore.jetty.internal.policy.Hold;
import io.longshore.jetty.internal.policy.WaitingRoom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's side of the waiting line for one {@link ReplicaAttempt}: parks the exchange in the
 * route's {@link WaitingRoom} without blocking the event loop (the client's connection is only
 * listened to, to hear it go away), brings the line's wake back onto the worker's thread in the
 * selector's next round, leases again there, ends the wait with the worker's timer after the
 * line's time (503), and reports the end of a cold start at the response's first bytes. One per
 * attempt, reused; confined to the worker's thread but for the wake, which only hands over.
 */
final class LineWait {
    private static final Logger LOG = LoggerFactory.getLogger(LineWait.class);

    private final ReplicaAttempt attempt;
    private final ProxyExchange exchange;
    private final ProxyWorker worker;
    private final Hold hold = new Hold(this::woken);
    private WaitingRoom room;
    private ServiceMetrics metrics;
    private Lease lease;
    private Clock routerClock;
    /** Changes with each request and each end of a wait, so a late timer or wake can tell it is stale. */
    private volatile int generation;

    LineWait(ReplicaAttempt attempt, ProxyExchange exchange, ProxyWorker worker) {
        this.attempt = attempt;
        this.exchange = exchange;
        this.worker = worker;
    }

    /** A new request on a route with {@code room}, leasing through {@code lease}. */
    void begin(WaitingRoom room, ServiceMetrics metrics, Lease lease, Clock routerClock) {
        generation++;
        hold.reset();
        this.room = room;
        this.metrics = metrics;
        this.lease = lease;
        this.routerClock = routerClock;
    }

    /** Whether the new request must wait behind those already waiting. */
    boolean mustQueue() {
        return room.mustQueue();
    }

    /** Whether the request whose lease just failed may wait for room. */
    boolean mayHold() {
        return room.mayHold(lease);
    }

    /** The request waits in the line from {@code now}, or gets 503 when it is full. */
    void hold(long now) {
        GatewayReply full = hold.join(room, now);
        if (full != null) {
            metrics.error(ProxyError.LINE_FULL);
            exchange.reply(full);
            return;
        }
        exchange.waiting();
        int seen = generation;
        worker.schedule(() -> {
            if (seen == generation && hold.leave(routerClock.nanoTime())) {
                metrics.error(ProxyError.WAIT_TIMEOUT);
                exchange.reply(GatewayReply.WAIT_TIMED_OUT);
            }
        }, room.maxWait().toMillis());
    }

    /** The line says there may be room (on any thread): lease again on the worker's thread. */
    private void woken() {
        int seen = generation;
        worker.later(() -> {
            if (seen == generation && hold.isWaiting()) {
                leaseAgain();
            }
        });
    }

    private void leaseAgain() {
        long now = routerClock.nanoTime();
        boolean leased;
        try {
            leased = lease.acquire(exchange, null, now);
        } catch (RuntimeException e) {
            LOG.warn("routing a request that waited failed", e);
            hold.leave(now);
            exchange.reply(GatewayReply.GATEWAY_FAILED);
            return;
        }
        if (!leased) {
            if (lease.mayWait()) {
                hold.requeue();
            } else {
                hold.leave(now);
                metrics.error(ProxyError.NO_REPLICA);
                exchange.reply(GatewayReply.NO_REPLICA);
            }
        } else if (!hold.served(now)) {
            lease.fail(Lease.Failure.CANCELLED, now); // it gave up meanwhile
        } else {
            attempt.leasedAfterWaiting(now);
        }
    }

    /** The exchange ends: a request still waiting leaves the line. */
    void cancel() {
        generation++;
        if (hold.isWaiting()) {
            hold.leave(routerClock.nanoTime());
        }
    }

    /** The response's head arrived: the end of a cold start when the request waited for one. */
    void responseBegun() {
        if (hold.waited()) {
            long coldStart = hold.firstByte(routerClock.nanoTime());
            if (coldStart >= 0) {
                metrics.coldStart(coldStart);
            }
        }
    }
}
