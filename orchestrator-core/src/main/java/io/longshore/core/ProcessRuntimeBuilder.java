package io.longshore.core;

import io.longshore.api.Clock;
import io.longshore.api.internal.Checks;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Configures a {@link ProcessRuntime}; each setter validates its argument and every default is a
 * constant of {@link ProcessRuntime}. Not thread-safe.
 */
public final class ProcessRuntimeBuilder {
    private Clock clock = Clock.system();
    private Path logDirectory = Path.of(System.getProperty("java.io.tmpdir"), ProcessRuntime.DEFAULT_LOG_DIRECTORY_NAME);
    private Path stateDirectory = Path.of(System.getProperty("java.io.tmpdir"),
            ProcessRuntime.DEFAULT_STATE_DIRECTORY_NAME + "-" + ProcessLogFiles.safe(System.getProperty("user.name", "user")));
    private Path workingDirectory;
    private Duration shutdownGrace = ProcessRuntime.DEFAULT_SHUTDOWN_GRACE;
    private OrphanPolicy orphans = ProcessRuntime.DEFAULT_ORPHANS;

    ProcessRuntimeBuilder() {
    }

    /** The clock for start times, event times and CPU readings. Default: the system clock. */
    public ProcessRuntimeBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /** Root of the per-service log directories. Default: {@code <java.io.tmpdir>/longshore-logs}. */
    public ProcessRuntimeBuilder logDirectory(Path logDirectory) {
        this.logDirectory = Objects.requireNonNull(logDirectory, "logDirectory");
        return this;
    }

    /**
     * Where each replica is recorded (pid, start time, endpoint, labels, spec hash, log file), so
     * that a runtime started after this JVM died finds and adopts the replicas. Runtimes meant to
     * take over each other's replicas must share it; created by {@link #build()} if absent.
     * Default: {@code <java.io.tmpdir>/longshore-processes-<user.name>}.
     */
    public ProcessRuntimeBuilder stateDirectory(Path stateDirectory) {
        this.stateDirectory = Objects.requireNonNull(stateDirectory, "stateDirectory");
        return this;
    }

    /** The directory commands run in. Default: this JVM's working directory. */
    public ProcessRuntimeBuilder workingDirectory(Path workingDirectory) {
        this.workingDirectory = Objects.requireNonNull(workingDirectory, "workingDirectory");
        return this;
    }

    /** How long the JVM-exit hook waits after SIGTERM before killing children. Default 2 s. */
    public ProcessRuntimeBuilder shutdownGrace(Duration shutdownGrace) {
        this.shutdownGrace = Checks.requireNotNegative(shutdownGrace, "shutdownGrace");
        return this;
    }

    /**
     * What becomes of the replicas when this JVM dies without stopping them (SIGKILL, a crash):
     * {@link OrphanPolicy#ADOPT} (the default) leaves them running for the next runtime on the
     * state directory to adopt; {@link OrphanPolicy#DIE_WITH_PARENT} ends each within a second.
     */
    public ProcessRuntimeBuilder orphans(OrphanPolicy orphans) {
        this.orphans = Objects.requireNonNull(orphans, "orphans");
        return this;
    }

    /**
     * Builds the runtime and registers its JVM-exit hook. Throws {@link IllegalStateException}
     * when the state directory cannot be created or written, or when
     * {@link OrphanPolicy#DIE_WITH_PARENT} lacks its tools.
     */
    public ProcessRuntime build() {
        ProcessRecords records = new ProcessRecords(stateDirectory);
        try {
            records.prepare();
        } catch (UncheckedIOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        ProcessWatchdog watchdog = orphans == OrphanPolicy.DIE_WITH_PARENT ? ProcessWatchdog.locate() : null;
        return new ProcessRuntime(this, records, watchdog);
    }

    Clock clock() {
        return clock;
    }

    Path logDirectory() {
        return logDirectory;
    }

    Path workingDirectory() {
        return workingDirectory;
    }

    Duration shutdownGrace() {
        return shutdownGrace;
    }

    OrphanPolicy orphans() {
        return orphans;
    }
}
