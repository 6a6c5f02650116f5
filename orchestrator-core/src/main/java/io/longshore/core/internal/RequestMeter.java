package io.longshore.core.internal;

import io.longshore.api.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.IntSupplier;

/**
 * A router's load over time, in one-second slices over the last {@link #MAX_WINDOW}: requests
 * routed, latencies, and the time-weighted number of requests in flight and of requests waiting
 * in a gateway's line, for scaling policies to read over any window.
 *
 * <p>Each slice keeps, for requests in flight and for requests waiting: how many there were when
 * the slice began (read once, by the slice's first writer), and the sums of {@code end - t} over
 * the slice's starts and ends at times {@code t}. So the area under the in-flight count over a
 * slice is {@code n(start) × length + Σstarts(end - t) - Σends(end - t)}, exact whatever the
 * requests' lengths, and recording a start or an end is a couple of atomic adds that allocate
 * nothing. Latencies also go into a {@link LatencyHistogram} for quantiles. A window covers the
 * slices it touches; the average counts only the part of its first and last slice inside it.
 * Thread-safe; writers are lock-free but for the first writer of each slice.
 */
final class RequestMeter implements SliceStamps.Row {
    /** The longest window a query can cover; longer ones are cut to it. */
    static final Duration MAX_WINDOW = Duration.ofMinutes(15);
    static final long SLICE_NANOS = 1_000_000_000L;
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

    private final Clock clock;
    private final long originNanos;
    private final IntSupplier inFlight;
    private final IntSupplier waiting;
    private final AtomicLongArray rows = new AtomicLongArray(SLOTS * WIDTH);
    private final SliceStamps stamps = new SliceStamps(SLOTS, this);
    private final LatencyHistogram latencies = new LatencyHistogram();

    /**
     * @param inFlight the requests in flight now (read by the first writer of each slice, and for queries)
     * @param waiting  the requests waiting now
     */
    RequestMeter(Clock clock, IntSupplier inFlight, IntSupplier waiting) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.originNanos = clock.nanoTime();
        this.inFlight = Objects.requireNonNull(inFlight, "inFlight");
        this.waiting = Objects.requireNonNull(waiting, "waiting");
    }

    /** A meter whose in-flight and waiting counts are always 0, for tests of the request counts. */
    RequestMeter(Clock clock) {
        this(clock, () -> 0, () -> 0);
    }

    @Override
    public void reset(int slot) {
        int base = slot * WIDTH;
        for (int i = 0; i < WIDTH; i++) {
            rows.set(base + i, 0);
        }
        rows.set(base + IN_FLIGHT_AT_START, inFlight.getAsInt());
        rows.set(base + WAITING_AT_START, waiting.getAsInt());
    }

    // ---- writers ----

    /** A request was routed at {@code now}; the in-flight count already includes it. */
    void markRequest(long now) {
        long slice = slice(now);
        int base = row(slice, IN_FLIGHT_AT_START, -1);
        if (base >= 0) {
            rows.getAndIncrement(base + STARTS);
            rows.getAndAdd(base + START_SUM, toSliceEnd(slice, now));
        }
    }

    /**
     * A request routed earlier ended at {@code now}, and the in-flight count no longer includes it;
     * {@code latencyNanos} is its latency, or -1 when it says nothing about the replica's speed.
     */
    void markRelease(long now, long latencyNanos) {
        long slice = slice(now);
        int base = row(slice, IN_FLIGHT_AT_START, 1);
        if (base < 0) {
            return;
        }
        rows.getAndAdd(base + END_SUM, toSliceEnd(slice, now));
        if (latencyNanos >= 0) {
            rows.getAndIncrement(base + COMPLETIONS);
            rows.getAndAdd(base + LATENCY_SUM, latencyNanos);
            latencies.record(slice, latencyNanos);
        }
    }

    /** A request began waiting at {@code now}; the waiting count already includes it. */
    void markWaitStarted(long now) {
        long slice = slice(now);
        int base = row(slice, WAITING_AT_START, -1);
        if (base >= 0) {
            rows.getAndIncrement(base + WAITS);
            rows.getAndAdd(base + WAIT_SUM, toSliceEnd(slice, now));
        }
    }

    /**
     * A request stopped waiting at {@code now}; the waiting count no longer includes it.
     * {@code served}: it got a lease (and was counted by {@link #markRequest} as well).
     */
    void markWaitEnded(long now, boolean served) {
        long slice = slice(now);
        int base = row(slice, WAITING_AT_START, 1);
        if (base < 0) {
            return;
        }
        rows.getAndAdd(base + WAIT_END_SUM, toSliceEnd(slice, now));
        if (served) {
            rows.getAndIncrement(base + WAIT_SERVED);
        }
    }

    /** A request found the line full at {@code now} and was refused: it still arrived. */
    void markRefused(long now) {
        int base = row(slice(now), WAITING_AT_START, 0);
        if (base >= 0) {
            rows.getAndIncrement(base + REFUSED);
        }
    }

    /**
     * The row of {@code slice}, or -1 when it is older than the ring. When this write opened the
     * slice, the count read at its start (field {@code atStart}) already had this event in it, so it
     * is corrected by {@code correction}: -1 for a start (counted too early), +1 for an end.
     */
    private int row(long slice, int atStart, int correction) {
        int answer = stamps.slot(slice);
        if (answer == SliceStamps.TOO_OLD) {
            return -1;
        }
        int base = SliceStamps.index(answer) * WIDTH;
        if ((answer & SliceStamps.OPENED) != 0) {
            rows.getAndAdd(base + atStart, correction);
        }
        return base;
    }

    /** From {@code now} to the end of its slice, within one slice's length (a time before the origin counts from slice 0's start). */
    private long toSliceEnd(long slice, long now) {
        return Math.max(0, Math.min(SLICE_NANOS, sliceEnd(slice) - now));
    }

    // ---- readers ----

    /** The clock's time now, the usual end of a window. */
    long now() {
        return clock.nanoTime();
    }

    /** Requests routed within {@code window} before {@code end} (the slices it touches). */
    long requestCount(Duration window, long end) {
        return sum(STARTS, slice(end - clamp(window)), slice(end));
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
            if (!stamps.holds(k)) {
                continue;
            }
            int base = stamps.indexOf(k) * WIDTH;
            long count = rows.get(base + STARTS) + rows.get(base + WAITS) - rows.get(base + WAIT_SERVED)
                    + rows.get(base + REFUSED);
            long start = sliceStart(k);
            long until = Math.min(sliceEnd(k), Math.max(start, now));
            long covered = Math.min(b, until) - Math.max(a, start);
            if (covered > 0) {
                arrivals += (double) count * covered / (until - start);
            }
        }
        long measured = b - Math.max(a, sliceStart(0));
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
            long atStart = stamps.holds(k) ? rows.get(stamps.indexOf(k) * WIDTH + WAITING_AT_START) : countAtNextStart;
            if (sliceStart(k) <= end) {
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
        long count = sum(COMPLETIONS, from, to);
        return count == 0 ? Double.NaN : sum(LATENCY_SUM, from, to) / 1e6 / count;
    }

    /** The {@code q} quantile of the latency in milliseconds within {@code window} before {@code end}, NaN if none. */
    double latencyQuantileMillis(double q, Duration window, long end) {
        long nanos = Math.min(clamp(window), LatencyHistogram.MAX_WINDOW_SECONDS * SLICE_NANOS);
        return latencies.quantileNanos(q, slice(end - nanos), slice(end)) / 1e6;
    }

    /** The time-weighted mean of requests in flight within {@code window} before {@code end}; the count now for a zero window. */
    double concurrency(Duration window, long end) {
        return timeWeighted(window, end, inFlight.getAsInt(), STARTS, START_SUM, END_SUM, IN_FLIGHT_AT_START);
    }

    /** The time-weighted mean of requests waiting within {@code window} before {@code end}; the count now for a zero window. */
    double waiting(Duration window, long end) {
        return timeWeighted(window, end, waiting.getAsInt(), WAITS, WAIT_SUM, WAIT_END_SUM, WAITING_AT_START);
    }

    private double timeWeighted(Duration window, long end, int countNow, int starts, int startSum, int endSum,
                                int atStart) {
        long now = now();
        long b = Math.min(end, now);
        long length = clamp(window);
        if (length == 0) {
            return countNow;
        }
        long a = b - length;
        long first = slice(a);
        long last = slice(b);
        double area = 0;
        long countAtNextStart = countNow;
        for (long k = slice(now); k >= first; k--) {
            SliceArea slice = area(k, now, countAtNextStart, countNow, starts, startSum, endSum, atStart);
            countAtNextStart = slice.countAtStart;
            if (k > last) {
                continue;
            }
            long sliceStart = sliceStart(k);
            long covered = Math.min(b, slice.until) - Math.max(a, sliceStart);
            long span = slice.until - sliceStart;
            if (covered > 0 && span > 0) {
                area += slice.area * covered / span;
            }
        }
        long measured = b - Math.max(a, sliceStart(0));
        return measured <= 0 ? countNow : area / measured;
    }

    /** A slice's area (in count-nanoseconds) up to {@code until}, and the count when it began. */
    private record SliceArea(double area, long until, long countAtStart) {
    }

    private SliceArea area(long k, long now, long countAtNextStart, int countNow, int starts, int startSum,
                           int endSum, int atStart) {
        long start = sliceStart(k);
        long until = Math.min(sliceEnd(k), Math.max(start, now));
        if (!stamps.holds(k)) {
            // nothing started or ended in it: the count stayed what the next slice began with
            return new SliceArea((double) countAtNextStart * (until - start), until, countAtNextStart);
        }
        int base = stamps.indexOf(k) * WIDTH;
        long n0 = rows.get(base + atStart);
        long startTerm = rows.get(base + startSum);
        long endTerm = rows.get(base + endSum);
        if (until < sliceEnd(k)) {
            // the slice of now: its ends so far follow from the counts; the sums are to the slice's end
            long begun = rows.get(base + starts);
            long ended = n0 + begun - countNow;
            long rest = sliceEnd(k) - until;
            startTerm -= begun * rest;
            endTerm -= ended * rest;
        }
        return new SliceArea((double) n0 * (until - start) + startTerm - endTerm, until, n0);
    }

    private long sum(int field, long from, long to) {
        long total = 0;
        long firstSlice = Math.max(Math.max(0, from), to - SLOTS + 1);
        for (long k = firstSlice; k <= to; k++) {
            if (stamps.holds(k)) {
                total += rows.get(stamps.indexOf(k) * WIDTH + field);
            }
        }
        return total;
    }

    private static long clamp(Duration window) {
        Objects.requireNonNull(window, "window");
        if (window.isNegative()) {
            throw new IllegalArgumentException("window must not be negative, was " + window);
        }
        return window.compareTo(MAX_WINDOW) > 0 ? MAX_WINDOW.toNanos() : window.toNanos();
    }

    private long slice(long nanos) {
        return Math.max(0, nanos - originNanos) / SLICE_NANOS;
    }

    private long sliceStart(long slice) {
        return originNanos + slice * SLICE_NANOS;
    }

    private long sliceEnd(long slice) {
        return sliceStart(slice + 1);
    }
}
