package io.longshore.core;

import io.longshore.api.Scheduler;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The default control loop: one daemon thread of the orchestrator's own, named
 * {@code longshore-<service>-loop}. Thread-safe.
 */
final class ThreadScheduler implements Scheduler {
    private final ScheduledThreadPoolExecutor executor;

    ThreadScheduler(String service) {
        executor = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "longshore-" + service + "-loop");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public Cancellable schedule(Runnable task, Duration delay) {
        ScheduledFuture<?> future = executor.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }

    @Override
    public void execute(Runnable task) {
        executor.execute(task);
    }

    void shutdown() {
        executor.shutdownNow();
    }

    @Override
    public String toString() {
        return "thread-scheduler";
    }
}
