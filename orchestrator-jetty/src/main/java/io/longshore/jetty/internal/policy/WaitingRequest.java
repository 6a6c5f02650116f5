package io.longshore.jetty.internal.policy;

import io.longshore.api.Backend;
import io.longshore.api.Clock;
import io.longshore.api.RouteRequest;
import io.longshore.api.internal.UserCode;
import io.longshore.core.Lease;
import io.longshore.jetty.internal.metrics.ProxyError;
import io.longshore.jetty.internal.metrics.ServiceMetrics;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request's stay in its route's {@link WaitingRoom}, for both transports: joins the line (503
 * when it is full), leases again when the line wakes it (back to the head of the line when there is
 * still no room, 503 when no replica is left to wait for), ends the wait after the line's time
 * (503), leaves the line when the request ends, and reports the end of a cold start at the
 * response's first byte. What differs per transport (on which thread a wake leases, how the wait
 * is timed, what happens once a replica is leased) is its {@link Transport}.
 *
 * <p>Reusable request after request ({@link #begin}); its calls come on the request's own thread
 * but for the line's wake, the timer and {@link #leave}, which may race: their state changes are
 * the line's atomic ones, and a stale wake or timer (of an earlier request or a wait already over)
 * is ignored. {@link #begin} publishes the request's route to them by its volatile write.
 */
public final class WaitingRequest {
    private static final Logger LOG = LoggerFactory.getLogger(WaitingRequest.class);
    private static final Runnable NOTHING = () -> { };

    /** What a transport does for its waiting requests. */
    public interface Transport {
        /** Runs {@code task} on the request's own thread, never inline: the line's wake comes on any thread. */
        void resume(Runnable task);

        /**
         * The request waits from now: runs {@code timeout} after {@code maxWaitMillis} and returns
         * what cancels it (or a no-op); may listen for the client going away meanwhile.
         */
        Runnable waitStarted(Runnable timeout, long maxWaitMillis);

        /** After waiting, the request leased {@code backend} at {@code nowNanos} of the router's clock: send it. */
        void leased(Backend backend, long nowNanos);

        /** The request ends with the gateway's own answer. */
        void reply(GatewayReply reply);
    }

    private final RouteRequest request;
    private final Transport transport;
    private final Hold hold = new Hold(this::woken);
    private WaitingRoom room;
    private ServiceMetrics metrics;
    private Lease lease;
    private Clock routerClock;
    private volatile Runnable cancelTimer = NOTHING;
    /** Changes with each request and each request's end, so a late timer or wake can tell it is stale. */
    private volatile int generation;

    /** @param request what a lease routes (the same for every request the transport reuses it for) */
    public WaitingRequest(RouteRequest request, Transport transport) {
        this.request = Objects.requireNonNull(request, "request");
        this.transport = Objects.requireNonNull(transport, "transport");
    }

    /** A new request on a route with {@code room}, leasing through {@code lease}. */
    public void begin(WaitingRoom room, ServiceMetrics metrics, Lease lease, Clock routerClock) {
        hold.reset();
        if (cancelTimer != NOTHING) {
            cancelTimer = NOTHING;
        }
        this.room = room;
        this.metrics = metrics;
        this.lease = lease;
        this.routerClock = routerClock;
        generation++;
    }

    /** Whether the new request must wait behind those already waiting. */
    public boolean mustQueue() {
        return room.mustQueue();
    }

    /** Whether the request whose lease just failed may wait for room. */
    public boolean mayHold() {
        return room.mayHold(lease);
    }

    /** The request waits in the line from {@code now} of the router's clock, or gets 503 when it is full. */
    public void hold(long now) {
        GatewayReply full = hold.join(room, now);
        if (full != null) {
            metrics.error(ProxyError.LINE_FULL);
            transport.reply(full);
            return;
        }
        int seen = generation;
        cancelTimer = transport.waitStarted(() -> {
            if (seen == generation) {
                timedOut();
            }
        }, room.maxWait().toMillis());
    }

    private void timedOut() {
        if (hold.leave(routerClock.nanoTime())) {
            metrics.error(ProxyError.WAIT_TIMEOUT);
            transport.reply(GatewayReply.WAIT_TIMED_OUT);
        }
    }

    /** The line says there may be room (on any thread): lease again on the request's thread. */
    private void woken() {
        int seen = generation;
        transport.resume(() -> {
            if (seen == generation && hold.isWaiting()) {
                leaseAgain();
            }
        });
    }

    private void leaseAgain() {
        long now = routerClock.nanoTime();
        boolean leased;
        try {
            leased = lease.acquire(request, null, now);
        } catch (RuntimeException | Error e) { // a user's router
            UserCode.rethrowIfFatal(e);
            LOG.warn("routing a request that waited failed", e);
            left(now);
            transport.reply(GatewayReply.GATEWAY_FAILED);
            return;
        }
        if (!leased) {
            if (lease.mayWait()) {
                hold.requeue();
            } else if (left(now)) {
                metrics.error(ProxyError.NO_REPLICA);
                transport.reply(GatewayReply.NO_REPLICA);
            }
        } else if (!hold.served(now)) {
            lease.fail(Lease.Failure.CANCELLED, now); // it gave up meanwhile
        } else {
            cancelTimer.run();
            transport.leased(lease.backend(), now);
        }
    }

    /**
     * The request ends or its client went away (on any thread): a request still waiting leaves
     * the line, and a later wake or timer is ignored. True when it was waiting.
     */
    public boolean leave() {
        generation++;
        return hold.isWaiting() && left(routerClock.nanoTime());
    }

    private boolean left(long now) {
        boolean left = hold.leave(now);
        if (left) {
            cancelTimer.run();
        }
        return left;
    }

    /** The response's head arrived: the end of a cold start when the request waited for one. */
    public void responseBegun() {
        if (hold.waited()) {
            long coldStart = hold.firstByte(routerClock.nanoTime());
            if (coldStart >= 0) {
                metrics.coldStart(coldStart);
            }
        }
    }
}
