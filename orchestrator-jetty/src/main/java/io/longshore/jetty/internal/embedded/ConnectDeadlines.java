package io.longshore.jetty.internal.embedded;

import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.function.ObjLongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The attempts still waiting for a connection to their replica, each with the deadline of the
 * connect timeout, checked by one sweep on the scheduler every {@link #period} while any wait.
 *
 * <p>Why not a timer per attempt: a request nearly always gets its connection at once, so its
 * timer is cancelled microseconds after it was set, and with the line of timers then empty each
 * new one is the earliest, which wakes the scheduler's thread to re-plan its sleep; that wake-up
 * per request took about a tenth of the gateway's CPU under HTTP/2 load (BENCHMARKS.md). A sweep
 * costs a queue insertion per request and at most one wake-up per period. An attempt without a
 * connection is given up at most one period after its deadline. Thread-safe.
 */
final class ConnectDeadlines {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectDeadlines.class);
    /** The shortest and longest time between two sweeps. */
    static final long MIN_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    static final long MAX_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final ObjLongConsumer<Runnable> scheduler;
    private final LongSupplier nanoTime;
    private final long timeoutNanos;
    private final long period;
    private final ConcurrentLinkedQueue<Wait> waits = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean sweepPlanned = new AtomicBoolean();

    /**
     * @param scheduler    runs a sweep after a delay in nanoseconds (the host server's scheduler)
     * @param nanoTime     the monotonic clock the deadlines are on (the scheduler's: real time)
     * @param timeoutNanos how long an attempt may wait for its connection
     */
    ConnectDeadlines(ObjLongConsumer<Runnable> scheduler, LongSupplier nanoTime, long timeoutNanos) {
        if (timeoutNanos < 0) {
            throw new IllegalArgumentException("timeoutNanos must be >= 0, was " + timeoutNanos);
        }
        this.scheduler = scheduler;
        this.nanoTime = nanoTime;
        this.timeoutNanos = timeoutNanos;
        this.period = Math.min(MAX_PERIOD_NANOS, Math.max(MIN_PERIOD_NANOS, timeoutNanos / 10));
    }

    /** Runs {@code onExpiry} once the timeout has passed, unless the returned wait is ended first. */
    Wait start(Runnable onExpiry) {
        Wait wait = new Wait(onExpiry, nanoTime.getAsLong() + timeoutNanos);
        waits.add(wait);
        planSweep();
        return wait;
    }

    /** How many waits are held (ended ones until the next sweep): for tests. */
    int held() {
        return waits.size();
    }

    private void planSweep() {
        if (sweepPlanned.compareAndSet(false, true)) {
            scheduler.accept(this::sweep, period);
        }
    }

    /** Drops the ended waits and runs the expired ones; plans the next sweep while any remain. */
    void sweep() {
        long now = nanoTime.getAsLong();
        for (Iterator<Wait> it = waits.iterator(); it.hasNext(); ) {
            Wait wait = it.next();
            if (wait.ended) {
                it.remove();
            } else if (now - wait.deadline >= 0) {
                it.remove();
                try {
                    wait.expire();
                } catch (RuntimeException e) { // the sweeps go on for the other waits
                    LOG.warn("giving up an attempt without a connection failed", e);
                }
            }
        }
        sweepPlanned.set(false);
        if (!waits.isEmpty()) {
            planSweep();
        }
    }

    /** One attempt's wait for its connection. */
    static final class Wait {
        private final Runnable onExpiry;
        private final long deadline;
        private volatile boolean ended;

        private Wait(Runnable onExpiry, long deadline) {
            this.onExpiry = onExpiry;
            this.deadline = deadline;
        }

        /** The attempt got its connection (or ended otherwise): nothing runs on expiry. */
        void end() {
            ended = true;
        }

        private void expire() {
            if (!ended) {
                ended = true;
                onExpiry.run();
            }
        }
    }
}
