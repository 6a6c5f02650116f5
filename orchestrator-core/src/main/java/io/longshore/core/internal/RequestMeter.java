package io.longshore.core.internal;

import io.longshore.api.Clock;
import io.longshore.api.LoadMetrics;
import java.time.Duration;
import java.util.Objects;
import java.util.function.IntSupplier;

/**
 * A router's load over time, in one-second slices over the last {@link #MAX_WINDOW}: requests
 * routed, latencies, and the time-weighted number of requests in flight and of requests waiting
 * in a gateway's line, for scaling policies to read over any window.
 *
 * <p>The slices are rows of {@link SliceRows}, which records the in-flight and the waiting count
 * so that their time-weighted means are exact whatever the requests' lengths; recording a start
 * or an end is a couple of atomic adds that allocate nothing. Latencies also go into a
 * {@link LatencyHistogram} for quantiles. A window covers the slices it touches; the average
 * counts only the part of its first and last slice inside it. Thread-safe; writers are lock-free
 * but for the first writer of each slice.
 */
final class RequestMeter implements SliceStamps.Row {
    /** The longest window a query can cover; longer ones are cut to it. */
    static final Duration MAX_WINDOW = LoadMetrics.MAX_WINDOW;
    static final long SLICE_NANOS = SliceRows.SLICE_NANOS;
    private static final int SLOTS = (int) MAX_WINDOW.toSeconds() + 4;

    // the fields of a slice's row
    private static final int STARTS = 0;
    private static final int START_SUM = 1;
    private static final int END_SUM = 2;
    private static final int IN_FLIGHT_AT_START = 3;
    private static final int COMPLETIONS = 4;
    private static final int LATENCY_SUM = 5;
    private static final int WAITS = 6;
    private static final int WAIT_SUM = 7;
    private static final int WAIT_END_SUM = 8;
    private static final int WAITING_AT_START = 9;
    private static final int WAIT_SERVED = 10;
    private static final int REFUSED = 11;
    private static final int WIDTH = 12;
    private static final SliceRows.Count IN_FLIGHT =
            new SliceRows.Count(STARTS, START_SUM, END_SUM, IN_FLIGHT_AT_START);
    private static final SliceRows.Count WAITING = new SliceRows.Count(WAITS, WAIT_SUM, WAIT_END_SUM, WAITING_AT_START);

    private final Clock clock;
    private final IntSupplier inFlight;
    private final IntSupplier waiting;
    private final SliceRows rows;
    private final LatencyHistogram latencies = new LatencyHistogram();

    /**
     * @param inFlight the requests in flight now (read by the first writer of each slice, and for queries)
     * @param waiting  the requests waiting now
     */
    RequestMeter(Clock clock, IntSupplier inFlight, IntSupplier waiting) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.inFlight = Objects.requireNonNull(inFlight, "inFlight");
        this.waiting = Objects.requireNonNull(waiting, "waiting");
        this.rows = new SliceRows(clock.nanoTime(), SLOTS, WIDTH, this);
    }

    /** A meter whose in-flight and waiting counts are always 0, for tests of the request counts. */
    RequestMeter(Clock clock) {
        this(clock, () -> 0, () -> 0);
    }

    @Override
    public void reset(int slot) {
        rows.clear(slot);
        rows.set(slot, IN_FLIGHT_AT_START, inFlight.getAsInt());
        rows.set(slot, WAITING_AT_START, waiting.getAsInt());
    }

    // ---- writers ----

    /** A request was routed at {@code now}; the in-flight count already includes it. */
    void markRequest(long now) {
        began(now, IN_FLIGHT_AT_START, STARTS, START_SUM);
    }

    /**
     * A request routed earlier ended at {@code now}, and the in-flight count no longer includes it;
     * {@code latencyNanos} is its latency, or -1 when it says nothing about the replica's speed.
     */
    void markRelease(long now, long latencyNanos) {
        int base = ended(now, IN_FLIGHT_AT_START, END_SUM);
        if (base >= 0 && latencyNanos >= 0) {
            rows.add(base, COMPLETIONS, 1);
            rows.add(base, LATENCY_SUM, latencyNanos);
            latencies.record(slice(now), latencyNanos);
        }
    }

    /** A request began waiting at {@code now}; the waiting count already includes it. */
    void markWaitStarted(long now) {
        began(now, WAITING_AT_START, WAITS, WAIT_SUM);
    }

    /**
     * A request stopped waiting at {@code now}; the waiting count no longer includes it.
     * {@code served}: it got a lease (and was counted by {@link #markRequest} as well).
     */
    void markWaitEnded(long now, boolean served) {
        int base = ended(now, WAITING_AT_START, WAIT_END_SUM);
        if (base >= 0 && served) {
            rows.add(base, WAIT_SERVED, 1);
        }
    }

    /**
     * One more of a count ({@code atStart}: the column of the count at the slice's start) began
     * at {@code now}: counted in {@code count}, its time to the slice's end in {@code sum}.
     */
    private void began(long now, int atStart, int count, int sum) {
        long slice = slice(now);
        int base = rows.row(slice, atStart, -1);
        if (base >= 0) {
            rows.add(base, count, 1);
            rows.add(base, sum, rows.toSliceEnd(slice, now));
        }
    }

    /** One of a count ended at {@code now}: its time to the slice's end in {@code sum}; the row's base, or -1. */
    private int ended(long now, int atStart, int sum) {
        long slice = slice(now);
        int base = rows.row(slice, atStart, 1);
        if (base >= 0) {
            rows.add(base, sum, rows.toSliceEnd(slice, now));
        }
        return base;
    }

    /** A request found the line full at {@code now} and was refused: it still arrived. */
    void markRefused(long now) {
        int base = rows.row(slice(now), WAITING_AT_START, 0);
        if (base >= 0) {
            rows.add(base, REFUSED, 1);
        }
    }

    // ---- readers ----

    /** The clock's time now, the usual end of a window. */
    long now() {
        return clock.nanoTime();
    }

    /** Requests routed within {@code window} before {@code end} (the slices it touches). */
    long requestCount(Duration window, long end) {
        return rows.sum(STARTS, slice(end - clamp(window)), slice(end));
    }

    /** Requests per second within {@code window} before {@code end}. */
    double requestRate(Duration window, long end) {
        double seconds = Math.max(1.0, clamp(window) / (double) SLICE_NANOS);
        return requestCount(window, end) / seconds;
    }

    /**
     * Requests per second that arrived within {@code window} before {@code end}: routed at once,
     * put in a line (and counted once even when routed from it later), or refused by a full line. Unlike
     * {@link #requestRate}, the first and last slice count only for their part inside the window.
     */
    double arrivalRate(Duration window, long end) {
        long now = now();
        long b = Math.min(end, now);
        long a = b - clamp(window);
        double arrivals = 0;
        for (long k = slice(a); k <= slice(b); k++) {
            if (!rows.holds(k)) {
                continue;
            }
            long count = rows.get(k, STARTS) + rows.get(k, WAITS) - rows.get(k, WAIT_SERVED) + rows.get(k, REFUSED);
            long start = rows.sliceStart(k);
            long until = Math.min(rows.sliceEnd(k), Math.max(start, now));
            long covered = Math.min(b, until) - Math.max(a, start);
            if (covered > 0) {
                arrivals += (double) count * covered / (until - start);
            }
        }
        long measured = b - Math.max(a, rows.sliceStart(0));
        return measured <= 0 ? 0 : arrivals / (measured / (double) SLICE_NANOS);
    }

    /**
     * The fewest requests waiting at the start of any second within {@code window} before
     * {@code end}, and now: the requests that keep waiting (clients blocked on a full service),
     * without the backlog that builds up while arrivals outrun the replicas; 0 while the line
     * drains (a tenth fewer wait now than when the window began, and at least one fewer).
     */
    double waitingFloor(Duration window, long end) {
        long now = now();
        long a = Math.min(end, now) - clamp(window);
        long waitingNow = waiting.getAsInt();
        long floor = waitingNow;
        long first = waitingNow;
        long countAtNextStart = waitingNow;
        for (long k = slice(now); k >= slice(a); k--) {
            long atStart = rows.holds(k) ? rows.get(k, WAITING_AT_START) : countAtNextStart;
            if (rows.sliceStart(k) <= end) {
                floor = Math.min(floor, atStart);
                first = atStart;
            }
            countAtNextStart = atStart;
        }
        boolean draining = waitingNow < first - Math.max(1, first / 10);
        return draining ? 0 : floor;
    }

    /** Mean latency in milliseconds of the requests that ended within {@code window} before {@code end}, NaN if none. */
    double meanLatencyMillis(Duration window, long end) {
        long from = slice(end - clamp(window));
        long to = slice(end);
        long count = rows.sum(COMPLETIONS, from, to);
        return count == 0 ? Double.NaN : rows.sum(LATENCY_SUM, from, to) / 1e6 / count;
    }

    /** The {@code q} quantile of the latency in milliseconds within {@code window} before {@code end}, NaN if none. */
    double latencyQuantileMillis(double q, Duration window, long end) {
        long nanos = Math.min(clamp(window), LatencyHistogram.MAX_WINDOW_SECONDS * SLICE_NANOS);
        return latencies.quantileNanos(q, slice(end - nanos), slice(end)) / 1e6;
    }

    /** The time-weighted mean of requests in flight within {@code window} before {@code end}; the count now for a zero window. */
    double concurrency(Duration window, long end) {
        return timeWeighted(window, end, inFlight.getAsInt(), IN_FLIGHT);
    }

    /** The time-weighted mean of requests waiting within {@code window} before {@code end}; the count now for a zero window. */
    double waiting(Duration window, long end) {
        return timeWeighted(window, end, waiting.getAsInt(), WAITING);
    }

    private double timeWeighted(Duration window, long end, int countNow, SliceRows.Count count) {
        long now = now();
        long b = Math.min(end, now);
        long length = clamp(window);
        if (length == 0) {
            return countNow;
        }
        return rows.timeWeighted(count, b - length, b, now, countNow);
    }

    private static long clamp(Duration window) {
        Objects.requireNonNull(window, "window");
        if (window.isNegative()) {
            throw new IllegalArgumentException("window must not be negative, was " + window);
        }
        return window.compareTo(MAX_WINDOW) > 0 ? MAX_WINDOW.toNanos() : window.toNanos();
    }

    private long slice(long nanos) {
        return rows.slice(nanos);
    }
}
