package io.longshore.jetty.internal.policy;

import io.longshore.core.Lease;
import io.longshore.core.Router;
import io.longshore.core.WaitingLine;
import java.time.Duration;
import java.util.Optional;

/**
 * The waiting line's rules for one route, for both transports: a request that finds no room on any
 * replica (none routable, or every one at its concurrency limit) waits in the route's
 * {@link WaitingLine} instead of getting 503, and a new request queues behind those already
 * waiting; a full line, a wait past the line's time, or a router without a line (one of another
 * kind, or lines turned off) is a 503 with {@code Retry-After}; a strategy that routes nowhere is
 * a 503 at once. Thread-safe.
 */
public final class WaitingRoom {
    private final WaitingLine line;

    private WaitingRoom(WaitingLine line) {
        this.line = line;
    }

    /** The room in front of {@code router}; {@code maxWaiting} 0 for none. */
    public static WaitingRoom of(Router router, int maxWaiting, Duration maxWait) {
        Optional<WaitingLine> line = maxWaiting == 0 ? Optional.empty() : WaitingLine.of(router, maxWaiting, maxWait);
        return new WaitingRoom(line.orElse(null));
    }

    /** Whether a new request must wait behind those already waiting instead of leasing first. */
    public boolean mustQueue() {
        return line != null && line.mustQueue();
    }

    /** Whether a request whose lease just failed may wait for room. */
    public boolean mayHold(Lease lease) {
        return line != null && lease.mayWait();
    }

    /** Requests waiting now. */
    public int waiting() {
        return line == null ? 0 : line.length();
    }

    /** How long a request waits at most. */
    public Duration maxWait() {
        return line == null ? Duration.ZERO : line.maxWait();
    }

    WaitingLine line() {
        return line;
    }
}
