package io.longshore.core;

import io.longshore.api.internal.Checks;
import io.longshore.core.internal.DefaultRouter;
import io.longshore.core.internal.RouterCapacity;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded line of requests waiting for room on one router's replicas: when no replica is
 * routable (the service is at zero, or starting) or every one is at its concurrency limit, a
 * gateway puts the request here instead of answering 503, and the line gives it back, first in
 * first out, as soon as there may be room: when a request ends or a new replica is routed. The
 * line tells the router's owner (the orchestrator) at once that requests wait without room, so it
 * can start a replica now rather than at its next scaling decision; it counts and meters the
 * waiting requests for the scaling policy ({@code Metric.WAITING}); and it times a cold start, from
 * the first request held while no replica was routable to the first answer such a request got.
 *
 * <p>The line does not time requests out itself; its user does, after {@link #maxWait()}, and
 * answers 503 then, as it does when {@link #join} finds the line full. Lines exist for the
 * routers of this library ({@link #of}). Times are readings of the router's clock. Thread-safe:
 * {@link Waiter#wake()} is called on whichever thread freed the room.
 *
 * <pre>{@code
 * if (!lease.acquire(request, null, now) && lease.mayWait()) {
 *     WaitingLine.Ticket ticket = line.join(() -> loop.execute(this::retry), now);  // null: full, 503
 *     // later, on the loop: lease.acquire(...) ? ticket.served(now) : ticket.requeue();
 *     // or after line.maxWait(): ticket.leave(now) and 503
 * }
 * }</pre>
 */
public final class WaitingLine {
    /** Requests a line holds at most. */
    public static final int DEFAULT_MAX_LENGTH = 1000;
    /** How long a request waits at most. */
    public static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(30);
    private static final long NO_COLD_START = Long.MIN_VALUE;

    /** A request in the line, as its transport holds it. */
    @FunctionalInterface
    public interface Waiter {
        /**
         * There may be room now: lease again, on the waiter's own thread (hand it over, do not
         * lease inline), then call {@link Ticket#served} or {@link Ticket#requeue}. Must not block.
         */
        void wake();
    }

    private final RouterCapacity capacity;
    private final int maxLength;
    private final Duration maxWait;
    private final ConcurrentLinkedDeque<Ticket> queue = new ConcurrentLinkedDeque<>();
    private final AtomicInteger length = new AtomicInteger();
    private final AtomicInteger woken = new AtomicInteger();
    private final AtomicLong coldStartSince = new AtomicLong(NO_COLD_START);

    private WaitingLine(RouterCapacity capacity, int maxLength, Duration maxWait) {
        this.capacity = capacity;
        this.maxLength = maxLength;
        this.maxWait = maxWait;
        capacity.onCapacity(this::roomMayBeFree);
    }

    /**
     * A line of at most {@code maxLength} requests, each waiting at most {@code maxWait}, in front
     * of {@code router}; empty for a router of another kind, which cannot tell when room appears.
     */
    public static Optional<WaitingLine> of(Router router, int maxLength, Duration maxWait) {
        Objects.requireNonNull(router, "router");
        Checks.requireAtLeast(maxLength, 1, "maxLength");
        Checks.requirePositive(maxWait, "maxWait");
        return router instanceof DefaultRouter own
                ? Optional.of(new WaitingLine(own.capacity(), maxLength, maxWait)) : Optional.empty();
    }

    /**
     * Puts a request in the line at {@code nowNanos}; null when it is full (the caller answers
     * 503). Tells the router's owner when there is no room, and wakes the request at once when
     * room appeared meanwhile.
     */
    public Ticket join(Waiter waiter, long nowNanos) {
        Objects.requireNonNull(waiter, "waiter");
        int ahead;
        while (true) {
            ahead = length.get();
            if (ahead >= maxLength) {
                capacity.refused(nowNanos);
                return null;
            }
            if (length.compareAndSet(ahead, ahead + 1)) {
                break;
            }
        }
        long episode = NO_COLD_START;
        if (!capacity.hasRoutable()) {
            episode = coldStartEpisode(ahead == 0, nowNanos);
        }
        Ticket ticket = new Ticket(waiter, nowNanos, episode);
        capacity.waitStarted(nowNanos);
        queue.addLast(ticket);
        if (capacity.room() <= woken.get()) {
            capacity.capacityWanted();
        }
        dispatch();
        return ticket;
    }

    /**
     * The cold start a request held at {@code nowNanos} while no replica is routable belongs to:
     * the one under way, or a new one from now when the line was empty. An empty line means the
     * earlier one is over even if none of its requests got an answer (they all gave up, or the
     * replica failed them): kept, it would date every later cold start from its first request.
     */
    private long coldStartEpisode(boolean lineWasEmpty, long nowNanos) {
        if (lineWasEmpty) {
            coldStartSince.set(nowNanos);
            return nowNanos;
        }
        coldStartSince.compareAndSet(NO_COLD_START, nowNanos);
        return coldStartSince.get();
    }

    /** Whether a new request must join the line behind those waiting rather than lease first. */
    public boolean mustQueue() {
        return woken.get() > 0 || !queue.isEmpty();
    }

    /** Requests in the line now (those woken and not yet served included). */
    public int length() {
        return length.get();
    }

    public int maxLength() {
        return maxLength;
    }

    /** How long a request may wait; the line's user answers 503 then. */
    public Duration maxWait() {
        return maxWait;
    }

    private void roomMayBeFree() {
        if (!queue.isEmpty()) {
            dispatch();
        }
    }

    /** Wakes as many waiters, first first, as there is room not already promised to woken ones. */
    private void dispatch() {
        long free = (long) capacity.room() - woken.get();
        while (free > 0) {
            Ticket next = queue.pollFirst();
            if (next == null) {
                return;
            }
            if (next.state.compareAndSet(Ticket.QUEUED, Ticket.WOKEN)) {
                woken.incrementAndGet();
                free--;
                next.waiter.wake();
            }
        }
    }

    @Override
    public String toString() {
        return "waiting line(" + length() + "/" + maxLength + ", " + maxWait + ")";
    }

    /** One request's place in the line, held by its transport. Thread-safe. */
    public final class Ticket {
        static final int QUEUED = 0;
        static final int WOKEN = 1;
        static final int DONE = 2;

        private final Waiter waiter;
        private final long joinedNanos;
        private final long coldStart;
        private final AtomicInteger state = new AtomicInteger(QUEUED);

        private Ticket(Waiter waiter, long joinedNanos, long coldStart) {
            this.waiter = waiter;
            this.joinedNanos = joinedNanos;
            this.coldStart = coldStart;
        }

        /** When it joined the line. */
        public long joinedNanos() {
            return joinedNanos;
        }

        /** Whether it still waits (not served, not given up). */
        public boolean isWaiting() {
            return state.get() != DONE;
        }

        /**
         * After a wake, the request got a lease at {@code nowNanos}: it leaves the line. False when
         * it had left already (it timed out meanwhile): the caller gives the lease back.
         */
        public boolean served(long nowNanos) {
            if (state.compareAndSet(WOKEN, DONE)) {
                woken.decrementAndGet();
                gone(nowNanos, true);
                return true;
            }
            return false;
        }

        /** After a wake, the request got no lease (another took the room): back to the head of the line. */
        public void requeue() {
            if (state.compareAndSet(WOKEN, QUEUED)) {
                woken.decrementAndGet();
                queue.addFirst(this);
                dispatch();
            }
        }

        /**
         * The request gives up at {@code nowNanos} (it waited too long, its client went away). False
         * when it had left already (served, or given up before).
         */
        public boolean leave(long nowNanos) {
            if (state.compareAndSet(QUEUED, DONE)) {
                queue.remove(this);
                gone(nowNanos, false);
                return true;
            }
            if (state.compareAndSet(WOKEN, DONE)) {
                woken.decrementAndGet();
                gone(nowNanos, false);
                dispatch(); // the room its wake promised goes to the next
                return true;
            }
            return false;
        }

        private void gone(long nowNanos, boolean served) {
            length.decrementAndGet();
            capacity.waitEnded(nowNanos, served);
        }

        /**
         * The request's first response byte arrived at {@code nowNanos}. When it was held while no
         * replica was routable and it is the first such request answered, this ends a cold start:
         * the answer is its length in nanoseconds (from the first request held), and the router's
         * owner hears of it; otherwise -1.
         */
        public long firstByte(long nowNanos) {
            if (coldStart == NO_COLD_START || !coldStartSince.compareAndSet(coldStart, NO_COLD_START)) {
                return -1;
            }
            long took = Math.max(0, nowNanos - coldStart);
            capacity.coldStarted(Duration.ofNanos(took), length());
            return took;
        }

        @Override
        public String toString() {
            return "ticket(" + new String[] {"queued", "woken", "done"}[state.get()] + ")";
        }
    }
}
