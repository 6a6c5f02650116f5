package io.longshore.api;

/**
 * A binary min-heap of candidate positions by deadline (ties by position, so orders are
 * repeatable): the earliest-deadline-first scheduler of Envoy's weighted round robin and least
 * request, on arrays, allocating nothing after it is made. Not thread-safe.
 */
final class DeadlineHeap {
    private final double[] deadlines;
    private final int[] heap;

    /** A heap of positions {@code 0..deadlines.length - 1} due at {@code deadlines} (taken over). */
    DeadlineHeap(double[] deadlines) {
        this.deadlines = deadlines;
        this.heap = new int[deadlines.length];
        for (int i = 0; i < heap.length; i++) {
            heap[i] = i;
        }
        for (int i = heap.length / 2 - 1; i >= 0; i--) {
            siftDown(i);
        }
    }

    /**
     * One cycle of {@code length} turns of a smooth weighted schedule: candidate i's k-th turn is
     * due at {@code (k + 1/2) / weights[i]}.
     */
    static int[] cycle(double[] weights, int length) {
        double[] deadlines = new double[weights.length];
        int[] turns = new int[weights.length];
        for (int i = 0; i < weights.length; i++) {
            deadlines[i] = 0.5 / weights[i];
        }
        DeadlineHeap heap = new DeadlineHeap(deadlines);
        int[] slots = new int[length];
        for (int k = 0; k < length; k++) {
            int next = heap.earliest();
            slots[k] = next;
            turns[next]++;
            heap.reschedule((turns[next] + 0.5) / weights[next]);
        }
        return slots;
    }

    /** The position due first. */
    int earliest() {
        return heap[0];
    }

    /** Its deadline. */
    double earliestDeadline() {
        return deadlines[heap[0]];
    }

    /** Gives the position due first the new {@code deadline} and restores the order. */
    void reschedule(double deadline) {
        deadlines[heap[0]] = deadline;
        siftDown(0);
    }

    private void siftDown(int at) {
        int n = heap.length;
        int item = heap[at];
        while (true) {
            int child = 2 * at + 1;
            if (child >= n) {
                break;
            }
            if (child + 1 < n && before(heap[child + 1], heap[child])) {
                child++;
            }
            if (!before(heap[child], item)) {
                break;
            }
            heap[at] = heap[child];
            at = child;
        }
        heap[at] = item;
    }

    private boolean before(int a, int b) {
        double da = deadlines[a];
        double db = deadlines[b];
        return da < db || (da == db && a < b);
    }
}
