package io.longshore.core;

import io.longshore.api.ContainerInfo;
import io.longshore.api.Endpoint;
import io.longshore.api.ResourceStats;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One child process a {@link ProcessRuntime} started: its process, endpoint, labels and log
 * file, whether a stop was requested (so its exit is not reported), and the previous CPU
 * reading for {@link #sample(long)}. Thread-safe: the flag is volatile, sampling is synchronized.
 */
final class ProcessReplica {
    private final String id;
    private final Process process;
    private final Endpoint endpoint;
    private final Map<String, String> labels;
    private final Instant startedAt;
    private final Path logFile;
    private volatile boolean stopRequested;
    private long lastSampleNanos;
    private long lastCpuNanos;

    ProcessReplica(String id, Process process, Endpoint endpoint, Map<String, String> labels,
                   Instant startedAt, long startedNanos, Path logFile) {
        this.id = id;
        this.process = process;
        this.endpoint = endpoint;
        this.labels = Map.copyOf(labels);
        this.startedAt = startedAt;
        this.lastSampleNanos = startedNanos;
        this.logFile = logFile;
    }

    String id() {
        return id;
    }

    Process process() {
        return process;
    }

    Path logFile() {
        return logFile;
    }

    Map<String, String> labels() {
        return labels;
    }

    boolean isRunning() {
        return process.isAlive();
    }

    ContainerInfo info() {
        return new ContainerInfo(id, endpoint, labels, isRunning(), startedAt);
    }

    /** Marks the coming exit as requested; from now on it is not reported to watchers. */
    void requestStop() {
        stopRequested = true;
    }

    boolean stopRequested() {
        return stopRequested;
    }

    /**
     * CPU use of the process and its descendants since the previous sample (or since the
     * start), in percent of one core, and their resident memory.
     */
    synchronized ResourceStats sample(long nowNanos) {
        Set<ProcessHandle> tree = ProcessTree.withDescendants(List.of(process.toHandle()));
        long cpuNanos = 0;
        long rssBytes = 0;
        for (ProcessHandle handle : tree) {
            cpuNanos += handle.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
            rssBytes += ProcStatus.residentBytes(handle.pid());
        }
        long wallNanos = nowNanos - lastSampleNanos;
        long usedNanos = cpuNanos - lastCpuNanos;
        double percent = wallNanos <= 0 || usedNanos <= 0 ? 0.0 : usedNanos * 100.0 / wallNanos;
        lastSampleNanos = nowNanos;
        lastCpuNanos = cpuNanos;
        return new ResourceStats(percent, rssBytes, 0);
    }
}
