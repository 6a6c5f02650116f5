package io.longshore.jetty.internal.embedded;

import io.longshore.api.Clock;
import io.longshore.core.Lease;
import io.longshore.jetty.internal.metrics.ProxyError;
import io.longshore.jetty.internal.metrics.ServiceMetrics;
import io.longshore.jetty.internal.policy.GatewayReply;
import io.longshore.jetty.internal.policy.Hold;
import io.longshore.jetty.internal.policy.WaitingRoom;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded transport's side of the waiting line for one {@link Exchange}: the request waits in
 * the route's {@link WaitingRoom} holding no thread; the line's wake leases again on the host
 * server's thread pool, Jetty's scheduler ends the wait after the line's time (503), a client
 * that goes away leaves the line, and the response's head reports the end of a cold start. Its
 * state changes are the line's atomic ones, so wake, timeout and client failure may race.
 */
final class Waiting {
    private static final Logger LOG = LoggerFactory.getLogger(Waiting.class);

    private final Exchange exchange;
    private final WaitingRoom room;
    private final ServiceMetrics metrics;
    private final Lease lease;
    private final Clock routerClock;
    private final Executor executor;
    private final Scheduler scheduler;
    private final Hold hold = new Hold(this::woken);
    private volatile Scheduler.Task timer;

    Waiting(Exchange exchange, WaitingRoom room, ServiceMetrics metrics, Lease lease, Clock routerClock,
            Executor executor, Scheduler scheduler) {
        this.exchange = exchange;
        this.room = room;
        this.metrics = metrics;
        this.lease = lease;
        this.routerClock = routerClock;
        this.executor = executor;
        this.scheduler = scheduler;
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
        timer = scheduler.schedule(this::timedOut, room.maxWait().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void timedOut() {
        if (hold.leave(routerClock.nanoTime())) {
            metrics.error(ProxyError.WAIT_TIMEOUT);
            exchange.reply(GatewayReply.WAIT_TIMED_OUT);
        }
    }

    /** The line says there may be room (on any thread): lease again on the host's thread pool. */
    private void woken() {
        executor.execute(this::leaseAgain);
    }

    private void leaseAgain() {
        if (!hold.isWaiting()) {
            return;
        }
        long now = routerClock.nanoTime();
        boolean leased;
        try {
            leased = lease.acquire(exchange, null, now);
        } catch (RuntimeException e) {
            LOG.warn("routing a request that waited failed", e);
            left(now);
            exchange.reply(GatewayReply.GATEWAY_FAILED);
            return;
        }
        if (!leased) {
            if (lease.mayWait()) {
                hold.requeue();
            } else if (left(now)) {
                metrics.error(ProxyError.NO_REPLICA);
                exchange.reply(GatewayReply.NO_REPLICA);
            }
        } else if (!hold.served(now)) {
            lease.fail(Lease.Failure.CANCELLED, now); // it gave up meanwhile
        } else {
            cancelTimer();
            exchange.send(lease.backend());
        }
    }

    /** The client went away: a request still waiting leaves the line; true when it did. */
    boolean clientGone() {
        return left(routerClock.nanoTime());
    }

    private boolean left(long now) {
        boolean left = hold.leave(now);
        if (left) {
            cancelTimer();
        }
        return left;
    }

    private void cancelTimer() {
        Scheduler.Task scheduled = timer;
        if (scheduled != null) {
            scheduled.cancel();
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
