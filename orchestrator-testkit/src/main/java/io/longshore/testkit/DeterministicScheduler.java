package io.longshore.testkit;

import io.longshore.api.Scheduler;
import java.time.Duration;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * A scheduler on virtual time: tasks run only when {@link ManualClock#advance} reaches their
 * due time, or when {@link #runPending()} is called for the tasks already due, always on the
 * thread that drives it and in due order (ties in submission order). Tasks submitted from
 * other threads wait for the next drive. Thread-safe to submit to.
 */
public final class DeterministicScheduler implements Scheduler {
    private final ManualClock clock;
    private final PriorityQueue<Task> queue = new PriorityQueue<>();
    private long sequence;
    private boolean running;

    public DeterministicScheduler(ManualClock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        clock.onAdvance(this::runUntil);
    }

    @Override
    public Cancellable schedule(Runnable task, Duration delay) {
        Objects.requireNonNull(task, "task");
        long due = clock.nanoTime() + Math.max(0, delay.toNanos());
        Task entry;
        synchronized (queue) {
            entry = new Task(due, sequence++, task);
            queue.add(entry);
        }
        return entry::cancel;
    }

    /** Runs every task due now, including tasks those tasks submit for now. */
    public void runPending() {
        runUntil(clock.nanoTime());
    }

    /** How many tasks are waiting (cancelled ones excluded). */
    public int pendingTasks() {
        synchronized (queue) {
            return (int) queue.stream().filter(t -> !t.cancelled).count();
        }
    }

    private void runUntil(long target) {
        synchronized (this) {
            if (running) {
                return; // a task advanced the clock: the outer drive picks the new tasks up
            }
            running = true;
        }
        try {
            while (true) {
                Task next;
                synchronized (queue) {
                    next = queue.peek();
                    if (next == null || next.due > target) {
                        return;
                    }
                    queue.poll();
                }
                clock.set(next.due);
                if (!next.cancelled) {
                    next.action.run();
                }
            }
        } finally {
            synchronized (this) {
                running = false;
            }
        }
    }

    private static final class Task implements Comparable<Task> {
        final long due;
        final long seq;
        final Runnable action;
        volatile boolean cancelled;

        Task(long due, long seq, Runnable action) {
            this.due = due;
            this.seq = seq;
            this.action = action;
        }

        void cancel() {
            cancelled = true;
        }

        @Override
        public int compareTo(Task other) {
            int byDue = Long.compare(due, other.due);
            return byDue != 0 ? byDue : Long.compare(seq, other.seq);
        }
    }
}
