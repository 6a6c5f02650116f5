package io.longshore.core;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices the exit of processes that are not this JVM's children: adopted replicas (their parent
 * was a JVM that died) and replicas under a watchdog (their parent is the watchdog). The JDK's
 * {@link ProcessHandle#onExit()} cannot serve here: for a non-child it polls ever more slowly, and
 * it never completes for a zombie whose parent does not reap it. This reads {@code /proc} every
 * {@link #INTERVAL} on one daemon thread, started at the first {@link #watch}; an exited process is
 * a zombie, a missing one, or one whose pid now belongs to a process with another start time.
 * {@link #close()} drops the watches that only report an exit; a watch {@linkplain #watch made to
 * outlive it} (one whose callback releases a watchdog, which then reaps its replica) goes on until
 * its process exits or it is forgotten, and the thread ends with the last of them. Thread-safe.
 */
final class ProcessExitPoller implements AutoCloseable {
    /** How often watched processes are looked at. */
    static final Duration INTERVAL = Duration.ofMillis(100);
    private static final Logger LOG = LoggerFactory.getLogger(ProcessRuntime.class);

    private final Map<String, Watch> watched = new ConcurrentHashMap<>();
    private ScheduledExecutorService executor;
    private boolean closed;

    private record Watch(ProcessIdentity process, boolean outlivesClose, Runnable onExit) {
    }

    /**
     * Calls {@code onExit} once, on the poller's thread, after {@code process} has exited; also
     * after {@link #close()} when {@code outlivesClose}. Once closed, only such a watch is taken
     * (a replica that started while its runtime closed must still be reaped).
     */
    synchronized void watch(String key, ProcessIdentity process, boolean outlivesClose, Runnable onExit) {
        if (closed && !outlivesClose) {
            return;
        }
        watched.put(key, new Watch(process, outlivesClose, onExit));
        if (executor == null || executor.isShutdown()) {
            executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "longshore-process-exits");
                thread.setDaemon(true);
                return thread;
            });
            executor.scheduleWithFixedDelay(this::poll, INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Stops watching {@code key}; its callback will not run. */
    void forget(String key) {
        watched.remove(key);
        endIfDone();
    }

    private void poll() {
        for (Map.Entry<String, Watch> entry : watched.entrySet()) {
            Watch watch = entry.getValue();
            if (!watch.process().isRunning() && watched.remove(entry.getKey(), watch)) {
                try {
                    watch.onExit().run();
                } catch (RuntimeException e) {
                    LOG.warn("handling the exit of {} failed", watch.process(), e);
                }
            }
        }
        endIfDone();
    }

    /**
     * Drops the watches that do not outlive it (their callbacks never run); the thread ends once
     * no watch is left. Idempotent.
     */
    @Override
    public synchronized void close() {
        closed = true;
        watched.values().removeIf(watch -> !watch.outlivesClose());
        endIfDone();
    }

    /** Whether the poller's thread is under way: from the first watch until it ended after close. */
    synchronized boolean polling() {
        return executor != null && !executor.isTerminated();
    }

    /** Once closed and with nothing left to watch, ends the thread (after the pass under way, if any). */
    private synchronized void endIfDone() {
        if (closed && watched.isEmpty() && executor != null) {
            executor.shutdown();
        }
    }
}
