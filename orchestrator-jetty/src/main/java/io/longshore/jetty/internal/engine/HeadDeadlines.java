package io.longshore.jetty.internal.engine;

import io.longshore.api.Clock;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker's client connections that wait for a request head (or, on the TLS listener, for
 * their handshake), in the order they started waiting, with the deadline by which it must be
 * done (HAProxy's {@code timeout http-request}). Every deadline is its start plus the same
 * timeout, so the list is sorted by deadline as it grows at its tail: watching and unwatching
 * are O(1) (an intrusive doubly linked list) and one timer, set for the earliest deadline, serves
 * them all. Heads that arrive whole in one read are never watched, so the steady state costs
 * nothing. Confined to the worker's thread.
 */
final class HeadDeadlines {
    /** One connection's place in the list. */
    static final class Entry {
        private final EngineConnection connection;
        private final Runnable expired;
        private Entry previous;
        private Entry next;
        private long deadline;
        private boolean watched;

        /** @param expired what {@code connection} does when its deadline passes, on the worker's thread */
        Entry(EngineConnection connection, Runnable expired) {
            this.connection = connection;
            this.expired = expired;
        }

        boolean isWatched() {
            return watched;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(HeadDeadlines.class);
    /** The most expired connections one sweep ends before the loop serves its other connections. */
    static final int SWEEP_BATCH = 64;

    private final ProxyWorker worker;
    private final Clock clock;
    private final long timeoutNanos;
    private final Runnable sweep = this::sweep;
    private Entry first;
    private Entry last;
    private boolean timerSet;

    HeadDeadlines(ProxyWorker worker, Clock clock, long timeoutNanos) {
        this.worker = worker;
        this.clock = clock;
        this.timeoutNanos = timeoutNanos;
    }

    /** The connection's head must be whole within the timeout from now (no-op when already watched). */
    void watch(Entry entry) {
        if (entry.watched) {
            return;
        }
        entry.watched = true;
        entry.deadline = clock.nanoTime() + timeoutNanos;
        entry.previous = last;
        entry.next = null;
        if (last == null) {
            first = entry;
        } else {
            last.next = entry;
        }
        last = entry;
        if (!timerSet) {
            setTimer(entry.deadline);
        }
    }

    /** The head arrived, the handshake is done, or the connection closed. */
    void unwatch(Entry entry) {
        if (!entry.watched) {
            return;
        }
        entry.watched = false;
        if (entry.previous == null) {
            first = entry.next;
        } else {
            entry.previous.next = entry.next;
        }
        if (entry.next == null) {
            last = entry.previous;
        } else {
            entry.next.previous = entry.previous;
        }
        entry.previous = null;
        entry.next = null;
    }

    private void setTimer(long deadline) {
        timerSet = true;
        long delayNanos = Math.max(0, deadline - clock.nanoTime());
        worker.schedule(sweep, TimeUnit.NANOSECONDS.toMillis(delayNanos) + 1);
    }

    /**
     * Tells of the connections past their deadline, at most {@value #SWEEP_BATCH} of them, then
     * sets the timer for the next one, or goes on in the selector's next round when more are due:
     * thousands of connections opened together time out together, and ending them all at once
     * (a 408 written and a socket closed each) would hold up every other connection of the loop.
     */
    private void sweep() {
        timerSet = false;
        long now = clock.nanoTime();
        int ended = 0;
        while (first != null && first.deadline - now <= 0) {
            if (ended++ == SWEEP_BATCH) {
                timerSet = true;
                worker.later(sweep);
                return;
            }
            Entry entry = first;
            unwatch(entry);
            try {
                entry.expired.run();
            } catch (RuntimeException e) {
                LOG.warn("ending {} after its request-head timeout failed", entry.connection, e);
                entry.connection.close();
            }
        }
        if (first != null) {
            setTimer(first.deadline);
        }
    }
}
