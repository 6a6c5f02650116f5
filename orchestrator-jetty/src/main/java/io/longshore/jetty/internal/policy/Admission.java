package io.longshore.jetty.internal.policy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gateway's count of requests in flight, shared by both proxies (the standalone engine and
 * the embedded handler): admits requests up to the concurrency limit and, once draining,
 * tells when the last one has left. Thread-safe.
 */
public final class Admission {
    private final int limit;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private volatile boolean draining;

    /** @param limit the most requests in flight at once */
    public Admission(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1, was " + limit);
        }
        this.limit = limit;
    }

    /** Counts a request in; false (and nothing counted) past the limit. */
    public boolean tryAdmit() {
        if (inFlight.incrementAndGet() > limit) {
            release();
            return false;
        }
        return true;
    }

    /** A request {@link #tryAdmit} counted in has left. */
    public void release() {
        if (inFlight.decrementAndGet() == 0 && draining) {
            drained.complete(null);
        }
    }

    /** Requests in flight now. */
    public int inFlight() {
        return Math.max(0, inFlight.get());
    }

    public boolean isDraining() {
        return draining;
    }

    /** Whether draining started and nothing is in flight any more. */
    public boolean isDrained() {
        return drained.isDone();
    }

    /** Starts draining; the future completes once nothing is in flight. */
    public CompletableFuture<Void> drain() {
        draining = true;
        if (inFlight.get() <= 0) {
            drained.complete(null);
        }
        return drained;
    }
}
