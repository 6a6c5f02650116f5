package io.longshore.jetty.internal.policy;

import io.longshore.core.WaitingLine;
import java.util.Objects;

/**
 * One request's place in a {@link WaitingRoom}, as its transport holds it: joins the line (or
 * learns it is full), is woken when room may be free (the transport's {@code resume} hands the
 * retry to the request's own thread), and ends served, requeued or given up. Also tells when
 * the request's first response byte ends a cold start. One per request holder (the engine reuses
 * it request after request); its state changes are the line's atomic ones, so a timeout, a wake
 * and a client that goes away may race on different threads.
 */
public final class Hold implements WaitingLine.Waiter {
    private final Runnable resume;
    private volatile WaitingLine.Ticket ticket;

    /** @param resume hands the retry to the request's own thread (never leases inline); must not block */
    public Hold(Runnable resume) {
        this.resume = Objects.requireNonNull(resume, "resume");
    }

    /**
     * Puts the request in {@code room}'s line at {@code nowNanos} of the router's clock: null when it
     * waits, else the gateway's answer ({@link GatewayReply#LINE_FULL}).
     */
    public GatewayReply join(WaitingRoom room, long nowNanos) {
        WaitingLine.Ticket joined = room.line().join(this, nowNanos);
        if (joined == null) {
            return GatewayReply.LINE_FULL;
        }
        ticket = joined;
        return null;
    }

    @Override
    public void wake() {
        resume.run();
    }

    /** Whether the request waits in a line now (woken or not). */
    public boolean isWaiting() {
        WaitingLine.Ticket held = ticket;
        return held != null && held.isWaiting();
    }

    /** Whether this request waited in a line (its ticket is kept until the next request). */
    public boolean waited() {
        return ticket != null;
    }

    /** After a wake the request got a lease: false when it had given up meanwhile (give the lease back). */
    public boolean served(long nowNanos) {
        WaitingLine.Ticket held = ticket;
        return held != null && held.served(nowNanos);
    }

    /** After a wake the request got no lease: back to the head of the line. */
    public void requeue() {
        WaitingLine.Ticket held = ticket;
        if (held != null) {
            held.requeue();
        }
    }

    /** The request gives up (it waited too long, its client went away); false when it was not waiting. */
    public boolean leave(long nowNanos) {
        WaitingLine.Ticket held = ticket;
        return held != null && held.leave(nowNanos);
    }

    /** The request's first response byte: the cold start's length in nanoseconds when it ends one, else -1. */
    public long firstByte(long nowNanos) {
        WaitingLine.Ticket held = ticket;
        return held == null ? -1 : held.firstByte(nowNanos);
    }

    /** Forgets the last request's ticket, for the next request. */
    public void reset() {
        ticket = null;
    }
}
