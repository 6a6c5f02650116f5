package io.longshore.core.internal;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The side of a {@link DefaultRouter} a gateway's waiting line talks to: how much room its
 * backends have, the requests waiting for a lease (counted, and metered over time), signals when
 * room may have appeared, and the line's news for the router's owner (capacity wanted now, a cold
 * start ended). Thread-safe.
 */
public final class RouterCapacity {
    private final DefaultRouter router;
    private final RequestMeter meter;
    private final AtomicInteger waiting;
    private final DefaultRouter.Hooks hooks;
    /** Told when room may have appeared: a request ended, or a publication changed the backends. */
    private volatile Runnable[] listeners = new Runnable[0];

    RouterCapacity(DefaultRouter router, RequestMeter meter, AtomicInteger waiting, DefaultRouter.Hooks hooks) {
        this.router = router;
        this.meter = meter;
        this.waiting = waiting;
        this.hooks = hooks;
    }

    /** Adds a listener told (on the thread that freed the room) when room may have appeared; it must be cheap and not throw. */
    public synchronized void onCapacity(Runnable listener) {
        Runnable[] now = listeners;
        Runnable[] more = Arrays.copyOf(now, now.length + 1);
        more[now.length] = Objects.requireNonNull(listener, "listener");
        listeners = more;
    }

    /** A request ended or the routable set changed. */
    void mayBeFree() {
        Runnable[] told = listeners;
        for (Runnable listener : told) {
            listener.run();
        }
    }

    /** Requests the routable backends may take now before their limits; {@link Integer#MAX_VALUE} when one has none. */
    public int room() {
        RouterSnapshot current = router.current();
        long room = 0;
        for (int i = 0; i < current.size(); i++) {
            room += current.get(i).room();
            if (room >= Integer.MAX_VALUE) {
                return Integer.MAX_VALUE;
            }
        }
        return (int) room;
    }

    /** Whether any backend is routable now. */
    public boolean hasRoutable() {
        return !router.current().isEmpty();
    }

    /** A request began waiting in a line at {@code now} of the router's clock. */
    public void waitStarted(long now) {
        waiting.incrementAndGet();
        meter.markWaitStarted(now);
    }

    /** A request stopped waiting at {@code now}: {@code served} when it got a lease, else it gave up. */
    public void waitEnded(long now, boolean served) {
        waiting.decrementAndGet();
        meter.markWaitEnded(now, served);
    }

    /** A request found a line full at {@code now} (it counts as an arrival all the same). */
    public void refused(long now) {
        meter.markRefused(now);
    }

    /** Requests waiting in lines now. */
    public int waiting() {
        return waiting.get();
    }

    /** Tells the owner that requests wait with no room for them ({@link DefaultRouter.Hooks#capacityWanted}). */
    public void capacityWanted() {
        hooks.capacityWanted();
    }

    /** Tells the owner a cold start ended ({@link DefaultRouter.Hooks#coldStarted}). */
    public void coldStarted(Duration took, int held) {
        hooks.coldStarted(took, held);
    }
}
