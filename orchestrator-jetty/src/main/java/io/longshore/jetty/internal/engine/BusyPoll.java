package io.longshore.jetty.internal.engine;

import java.io.IOException;
import java.nio.channels.Selector;
import java.util.function.LongSupplier;

/**
 * How an event loop waits for its next events: after a round that found some, it keeps polling
 * ({@link Selector#selectNow()}) for up to a short window before it sleeps in
 * {@link Selector#select()}, as HAProxy's {@code busy-polling} and Linux's {@code SO_BUSY_POLL} do.
 *
 * <p>Why: a thread asleep in {@code epoll_wait} is woken by whoever sends it the next bytes, and
 * on loopback that sender (a replica, a client) pays for the wake-up, an inter-processor interrupt,
 * on its own core. Under load the next event is usually microseconds away, so a loop that polls
 * through that gap costs its peers nothing; one that sleeps costs them a wake-up per round.
 *
 * <p>A {@link Selector#wakeup()} sent while polling is used up by {@code selectNow}; so after a
 * window without events the loop sleeps at most {@value #SETTLE_MILLIS} ms once before it sleeps
 * without a bound, and a task another thread handed it in the window waits that long at most.
 * Confined to the loop's thread.
 */
final class BusyPoll {
    /** The bounded sleep that follows a window without events. */
    static final long SETTLE_MILLIS = 1;

    private final long windowNanos;
    private final LongSupplier nanoTime;
    /** Whether the last wait found events, so the next one polls first. */
    private boolean busy;

    /**
     * @param windowNanos how long to poll after a round with events; 0 never polls
     * @param nanoTime    the monotonic clock the window is measured on
     */
    BusyPoll(long windowNanos, LongSupplier nanoTime) {
        if (windowNanos < 0) {
            throw new IllegalArgumentException("windowNanos must be >= 0, was " + windowNanos);
        }
        this.windowNanos = windowNanos;
        this.nanoTime = nanoTime;
    }

    /** Waits for events on {@code selector} and returns how many keys were selected. */
    int select(Selector selector) throws IOException {
        if (!busy || windowNanos == 0) {
            int selected = selector.select();
            busy = selected > 0;
            return selected;
        }
        long start = nanoTime.getAsLong();
        do {
            int selected = selector.selectNow();
            if (selected > 0) {
                return selected;
            }
            Thread.onSpinWait();
        } while (nanoTime.getAsLong() - start < windowNanos);
        int selected = selector.select(SETTLE_MILLIS);
        busy = selected > 0;
        return selected;
    }
}
