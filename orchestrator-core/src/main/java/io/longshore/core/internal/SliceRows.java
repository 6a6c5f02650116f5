package io.longshore.core.internal;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The storage of a {@link RequestMeter}: a ring of one-second slices counted from an origin on
 * the meter's clock, each a row of {@code width} counters, with the slice arithmetic (which slice
 * a time falls in, where a slice starts and ends) and the two ways of reading rows back: a field
 * summed over slices, and the time-weighted mean of a count whose changes the rows record.
 *
 * <p>A count is recorded in four fields of a row: its value when the slice began (read once, by
 * the slice's first writer), how many times it went up, and the sums of {@code end - t} over the
 * slice's ups and downs at times {@code t}. So the area under the count over a slice is
 * {@code n(start) × length + Σups(end - t) - Σdowns(end - t)}, exact whatever the gaps between
 * changes. Thread-safe; writers are lock-free but for the first writer of each slice (see
 * {@link SliceStamps}).
 */
final class SliceRows {
    static final long SLICE_NANOS = 1_000_000_000L;

    /** The fields that record one count in a row (see the class comment). */
    record Count(int ups, int upSum, int downSum, int atStart) {
    }

    private final long originNanos;
    private final int width;
    private final AtomicLongArray rows;
    private final SliceStamps stamps;

    /** @param reset what a slot's row becomes when the slot starts a new slice, before anyone adds to it */
    SliceRows(long originNanos, int slots, int width, SliceStamps.Row reset) {
        this.originNanos = originNanos;
        this.width = width;
        this.rows = new AtomicLongArray(slots * width);
        this.stamps = new SliceStamps(slots, reset);
    }

    /** Sets every field of {@code slot}'s row to 0 (for a reset). */
    void clear(int slot) {
        int base = slot * width;
        for (int i = 0; i < width; i++) {
            rows.set(base + i, 0);
        }
    }

    /** Sets {@code field} of {@code slot}'s row (for a reset). */
    void set(int slot, int field, long value) {
        rows.set(slot * width + field, value);
    }

    // ---- writers ----

    /**
     * The row of {@code slice}, or -1 when it is older than the ring. When this write opened the
     * slice, the count read at its start (field {@code atStart}) already had this event in it, so it
     * is corrected by {@code correction}: -1 for a start (counted too early), +1 for an end.
     */
    int row(long slice, int atStart, int correction) {
        int answer = stamps.slot(slice);
        if (answer == SliceStamps.TOO_OLD) {
            return -1;
        }
        int base = SliceStamps.index(answer) * width;
        if ((answer & SliceStamps.OPENED) != 0) {
            rows.getAndAdd(base + atStart, correction);
        }
        return base;
    }

    /** Adds {@code delta} to {@code field} of the row at {@code base} (an answer of {@link #row}). */
    void add(int base, int field, long delta) {
        rows.getAndAdd(base + field, delta);
    }

    // ---- readers ----

    /** Whether the ring holds {@code slice} (something was written in it, and it is not overwritten). */
    boolean holds(long slice) {
        return stamps.holds(slice);
    }

    /** {@code field} of the row of {@code slice}, which the ring {@link #holds}. */
    long get(long slice, int field) {
        return rows.get(stamps.indexOf(slice) * width + field);
    }

    /** {@code field} summed over the slices {@code from..to} the ring still holds. */
    long sum(int field, long from, long to) {
        long total = 0;
        long firstSlice = Math.max(Math.max(0, from), to - stamps.size() + 1);
        for (long k = firstSlice; k <= to; k++) {
            if (stamps.holds(k)) {
                total += get(k, field);
            }
        }
        return total;
    }

    /**
     * The time-weighted mean of {@code count} over {@code a..b}, at {@code now} when the count is
     * {@code countNow}: the slices the window touches, the first and last only for their part
     * inside it; a window before the origin counts from the origin.
     */
    double timeWeighted(Count count, long a, long b, long now, int countNow) {
        long first = slice(a);
        long last = slice(b);
        double area = 0;
        long countAtNextStart = countNow;
        for (long k = slice(now); k >= first; k--) {
            SliceArea slice = area(count, k, now, countAtNextStart, countNow);
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

    private SliceArea area(Count count, long k, long now, long countAtNextStart, int countNow) {
        long start = sliceStart(k);
        long until = Math.min(sliceEnd(k), Math.max(start, now));
        if (!stamps.holds(k)) {
            // nothing started or ended in it: the count stayed what the next slice began with
            return new SliceArea((double) countAtNextStart * (until - start), until, countAtNextStart);
        }
        long n0 = get(k, count.atStart());
        long startTerm = get(k, count.upSum());
        long endTerm = get(k, count.downSum());
        if (until < sliceEnd(k)) {
            // the slice of now: its ends so far follow from the counts; the sums are to the slice's end
            long begun = get(k, count.ups());
            long ended = n0 + begun - countNow;
            long rest = sliceEnd(k) - until;
            startTerm -= begun * rest;
            endTerm -= ended * rest;
        }
        return new SliceArea((double) n0 * (until - start) + startTerm - endTerm, until, n0);
    }

    // ---- slice arithmetic ----

    /** The slice {@code nanos} falls in (a time before the origin: slice 0). */
    long slice(long nanos) {
        return Math.max(0, nanos - originNanos) / SLICE_NANOS;
    }

    long sliceStart(long slice) {
        return originNanos + slice * SLICE_NANOS;
    }

    long sliceEnd(long slice) {
        return sliceStart(slice + 1);
    }

    /** From {@code now} to the end of its slice, within one slice's length (a time before the origin counts from slice 0's start). */
    long toSliceEnd(long slice, long now) {
        return Math.max(0, Math.min(SLICE_NANOS, sliceEnd(slice) - now));
    }
}
