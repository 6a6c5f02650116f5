package io.longshore.core.internal;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Which time slice each slot of a ring of counters holds now. A writer asks for the slot of its
 * slice: when the slot still holds an older lap, the first writer of the new slice resets the
 * slot's row (under the slot's own lock, once per slot per lap) and only then publishes the new
 * slice number, so every writer that sees the new number adds to a clean row, and none waits
 * otherwise. A write for a slice older than the slot's is dropped. Readers check a slot's slice
 * before they count it. Thread-safe.
 */
final class SliceStamps {
    /** What a ring does to a slot's row when the slot starts a new slice, before anyone adds to it. */
    interface Row {
        void reset(int slot);
    }

    /** Set in {@link #slot}'s answer when this call started the slice. */
    static final int OPENED = 1 << 30;
    /** {@link #slot}'s answer when the slice is older than the ring. */
    static final int TOO_OLD = -1;
    private static final int SLOT_MASK = OPENED - 1;

    private final AtomicLongArray stamps;
    private final Object[] locks;
    private final Row row;

    SliceStamps(int slots, Row row) {
        this.stamps = new AtomicLongArray(slots);
        this.locks = new Object[slots];
        this.row = row;
        for (int i = 0; i < slots; i++) {
            stamps.set(i, -1);
            locks[i] = new Object();
        }
    }

    int size() {
        return locks.length;
    }

    /**
     * The slot that holds {@code slice} (&gt;= 0), starting the slice there when the slot held an
     * older one (then {@link #OPENED} is set in the answer); {@link #TOO_OLD} when the slot holds a
     * newer slice.
     */
    int slot(long slice) {
        int slot = (int) (slice % locks.length);
        long held = stamps.get(slot);
        if (held == slice) {
            return slot;
        }
        if (held > slice) {
            return TOO_OLD;
        }
        synchronized (locks[slot]) {
            held = stamps.get(slot);
            if (held == slice) {
                return slot;
            }
            if (held > slice) {
                return TOO_OLD;
            }
            row.reset(slot);
            stamps.set(slot, slice);
            return slot | OPENED;
        }
    }

    /** The slot index in an answer of {@link #slot}. */
    static int index(int answer) {
        return answer & SLOT_MASK;
    }

    /** Whether the slot of {@code slice} holds it (and not another lap). */
    boolean holds(long slice) {
        return slice >= 0 && stamps.get((int) (slice % locks.length)) == slice;
    }

    /** The slot index of {@code slice}, whatever it holds. */
    int indexOf(long slice) {
        return (int) (slice % locks.length);
    }
}
