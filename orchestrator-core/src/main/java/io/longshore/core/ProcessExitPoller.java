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
 * {@link #INTERVAL} on one daemon thread, started at the first {@link #watch} and ended by
 * {@link #close()}; an exited process is a zombie, a missing one, or one whose pid now belongs to
 * a process with another start time. Thread-safe.
 */
final class ProcessExitPoller implements AutoCloseable {
    /** How often watched processes are looked at. */
    static final Duration INTERVAL = Duration.ofMillis(100);
    private static final Logger LOG = LoggerFactory.getLogger(ProcessRuntime.class);

    private final Map<String, Watch> watched = new ConcurrentHashMap<>();
    private ScheduledExecutorService executor;
    private boolean closed;

    private record Watch(ProcessIdentity process, Runnable onExit) {
    }

    /** Calls {@code onExit} once, on the poller's thread, after {@code process} has exited. */
    synchronized void watch(String key, ProcessIdentity process, Runnable onExit) {
        if (closed) {
            return;
        }
        watched.put(key, new Watch(process, onExit));
        if (executor == null) {
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
    }

    /** Ends the thread; callbacks of processes still watched never run. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        watched.clear();
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
