package io.longshore.core;

import io.longshore.api.ContainerInfo;
import io.longshore.api.ResourceStats;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replica a {@link ProcessRuntime} runs: its record (process, endpoint, labels, log file), a
 * handle on its process, and the JVM's child that reports its exit: the replica itself, its
 * watchdog ({@link OrphanPolicy#DIE_WITH_PARENT}), or none for a replica adopted from a dead JVM.
 * Also whether a stop was requested (so its exit is not reported) and the previous CPU reading
 * for {@link #sample(long)}, which starts at the tree's CPU time when the replica is taken on: an
 * adopted replica's past (spent under another JVM, possibly long ago) is no use of the first
 * sampling interval. Thread-safe: the flag is volatile, sampling is synchronized.
 */
final class ProcessReplica {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessRuntime.class);

    private final ProcessRecord record;
    private final Optional<ProcessHandle> handle;
    private final Process child;
    private final boolean watchdog;
    private final TreeUsage.Reader usage;
    private volatile boolean stopRequested;
    private long lastSampleNanos;
    private long lastCpuNanos;

    /**
     * @param record   what is known about it
     * @param handle   its process, empty if it was gone before it could be looked at
     * @param child    the JVM's child that reports its exit, or {@code null} when adopted
     * @param watchdog whether {@code child} is its watchdog rather than the replica
     * @param usage    reads the CPU time and memory of its process tree
     * @param nowNanos the clock's reading now, the start of the first CPU sample
     */
    ProcessReplica(ProcessRecord record, Optional<ProcessHandle> handle, Process child, boolean watchdog,
                   TreeUsage.Reader usage, long nowNanos) {
        this.record = record;
        this.handle = handle;
        this.child = child;
        this.watchdog = watchdog;
        this.usage = usage;
        this.lastSampleNanos = nowNanos;
        this.lastCpuNanos = usage.read(roots()).cpuNanos();
    }

    private List<ProcessHandle> roots() {
        return handle.map(List::of).orElse(List.of());
    }

    String id() {
        return record.id();
    }

    ProcessRecord record() {
        return record;
    }

    Optional<ProcessHandle> handle() {
        return handle;
    }

    /** The JVM's child reporting its exit (the replica or its watchdog); empty when adopted. */
    Optional<Process> child() {
        return Optional.ofNullable(child);
    }

    boolean underWatchdog() {
        return watchdog;
    }

    Path logFile() {
        return record.logFile();
    }

    Map<String, String> labels() {
        return record.labels();
    }

    /** Whether its very process (same pid and start time) runs and is not a zombie. */
    boolean isRunning() {
        return record.process().isRunning();
    }

    ContainerInfo info() {
        return new ContainerInfo(record.id(), record.endpoint(), record.labels(), isRunning(), record.startedAt());
    }

    /** Marks the coming exit as requested; from now on it is not reported to watchers. */
    void requestStop() {
        stopRequested = true;
    }

    boolean stopRequested() {
        return stopRequested;
    }

    /** Closes the watchdog's pipe, which makes it stop what is left of the replica and exit. */
    void releaseWatchdog() {
        if (watchdog) {
            try {
                child.getOutputStream().close();
            } catch (IOException e) {
                LOG.debug("closing the watchdog pipe of {} failed", record.id(), e);
            }
        }
    }

    /** Waits up to {@code max} for the watchdog to exit; true when it did (or there is none). */
    boolean awaitWatchdog(Duration max) {
        if (!watchdog) {
            return true;
        }
        try {
            child.onExit().get(max.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * CPU use of the process and its descendants (those that exited included, see
     * {@link TreeUsage}) since the previous sample, or since the replica was taken on, in percent
     * of one core, and their resident memory.
     */
    synchronized ResourceStats sample(long nowNanos) {
        TreeUsage now = usage.read(roots());
        long cpuNanos = now.cpuNanos();
        long rssBytes = now.rssBytes();
        long wallNanos = nowNanos - lastSampleNanos;
        long usedNanos = cpuNanos - lastCpuNanos;
        double percent = wallNanos <= 0 || usedNanos <= 0 ? 0.0 : usedNanos * 100.0 / wallNanos;
        lastSampleNanos = nowNanos;
        lastCpuNanos = cpuNanos;
        return new ResourceStats(percent, rssBytes, 0);
    }
}
