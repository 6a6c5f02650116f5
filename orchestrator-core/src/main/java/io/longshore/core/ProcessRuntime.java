package io.longshore.core;

import io.longshore.api.Clock;
import io.longshore.api.ContainerInfo;
import io.longshore.api.ContainerRuntime;
import io.longshore.api.ContainerRuntimeException;
import io.longshore.api.ContainerSpec;
import io.longshore.api.Endpoint;
import io.longshore.api.ResourceStats;
import io.longshore.api.RuntimeEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default runtime: every replica is a child process of this JVM running
 * {@link ContainerSpec#command()}, for machines without Docker.
 *
 * <ul>
 *   <li><b>Start</b> spawns the command with the JVM's environment plus {@link ContainerSpec#env()},
 *       then {@code PORT} and {@code HOST} from the endpoint (these two always win). Stdin is
 *       closed; stdout and stderr go to {@code <logDirectory>/<service>/<service>-<port>-<id>.log},
 *       beside a {@code .properties} sidecar with the id, endpoint, command and labels. The id is
 *       {@code pid-<pid>}. It returns once the process is spawned: readiness is the probe's job,
 *       and a process that dies at once is reported by an exit event. The image, memory and CPU
 *       limits and network mode of the spec are ignored.</li>
 *   <li><b>Stop</b> sends SIGTERM to the process and all its descendants, waits up to the grace
 *       period, then kills what is left; it returns once they are gone and forgets the replica.
 *       Children of a process that died on its own are left to the OS (they are no longer its
 *       descendants), so commands should {@code exec} their server rather than wrap it.</li>
 *   <li><b>Watch</b> reports every exit not requested through {@code stop} at once, as
 *       {@link RuntimeEvent.Kind#EXITED} with the exit code (137 for SIGKILL). Events arrive on a
 *       JDK thread; a throwing listener is logged and skipped. An instantly dying process can be
 *       reported before {@code start} has returned its id.</li>
 *   <li><b>List</b> shows the processes this instance started, running or exited, until they are
 *       stopped. Labels live in memory only: a new runtime (or a new JVM) does not adopt processes
 *       of an earlier one.</li>
 *   <li><b>Stats</b> give CPU (delta of the tree's total CPU time over the injected clock's
 *       time since the previous reading) and resident memory from {@code /proc} on Linux.</li>
 *   <li><b>No child is left behind</b> when the JVM exits normally or on SIGTERM/SIGINT: each
 *       instance registers a shutdown hook that stops its running children with
 *       {@link Builder#shutdownGrace(Duration)}. A SIGKILLed JVM runs no hook.
 *       {@link #close()} removes the hook and does <em>not</em> stop the children (the
 *       orchestrator stops them first); children still running after close are no longer
 *       covered by the hook.</li>
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class ProcessRuntime implements ContainerRuntime {
    /** The default log directory: {@code <java.io.tmpdir>/longshore-logs}. */
    public static final String DEFAULT_LOG_DIRECTORY_NAME = "longshore-logs";
    /** Default time the shutdown hook gives children after SIGTERM before killing them. */
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(2);

    private static final Logger LOG = LoggerFactory.getLogger(ProcessRuntime.class);

    private final Clock clock;
    private final ProcessLogFiles logs;
    private final ProcessLauncher launcher;
    private final Duration shutdownGrace;
    private final Map<String, ProcessReplica> replicas = new ConcurrentHashMap<>();
    private final ProcessExitWatchers watchers = new ProcessExitWatchers();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread shutdownHook;

    private ProcessRuntime(Builder builder) {
        this.clock = builder.clock;
        this.logs = new ProcessLogFiles(builder.logDirectory);
        this.launcher = new ProcessLauncher(builder.workingDirectory);
        this.shutdownGrace = builder.shutdownGrace;
        this.shutdownHook = new Thread(this::stopAllOnShutdown, "longshore-process-runtime-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** A builder with the defaults: system clock, log directory under {@code java.io.tmpdir}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A runtime with every default. */
    public static ProcessRuntime create() {
        return builder().build();
    }

    @Override
    public ContainerInfo start(ContainerSpec spec, Endpoint endpoint, Map<String, String> labels) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(labels, "labels");
        if (closed.get()) {
            throw new ContainerRuntimeException("process runtime is closed; cannot start " + spec.service());
        }
        if (spec.command().isEmpty()) {
            throw new ContainerRuntimeException("the process runtime runs a spec's command, but service '"
                    + spec.service() + "' has only the image '" + spec.image() + "'");
        }
        Map<String, String> allLabels = new HashMap<>(spec.labels());
        allLabels.putAll(labels);
        Path log = logs.create(spec.service(), endpoint.port());
        Process process = launcher.launch(spec, endpoint, log);
        String id = "pid-" + process.pid();
        log = logs.rename(log, spec.service(), endpoint.port(), id);
        ProcessReplica replica = new ProcessReplica(id, process, endpoint, allLabels,
                clock.instant(), clock.nanoTime(), log);
        replicas.put(id, replica);
        writeSidecar(replica, endpoint, spec.command());
        process.onExit().thenAccept(exited -> onExit(replica));
        LOG.info("started {} for service {} on {}, log {}", id, spec.service(), endpoint, log);
        return replica.info();
    }

    private void writeSidecar(ProcessReplica replica, Endpoint endpoint, List<String> command) {
        try {
            logs.writeSidecar(replica.logFile(), replica.id(), endpoint, command, replica.labels());
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot write the label sidecar of {} next to {}", replica.id(), replica.logFile(), e);
        }
    }

    private void onExit(ProcessReplica replica) {
        if (replica.stopRequested()) {
            return;
        }
        int exitCode = replica.process().exitValue();
        LOG.info("{} exited with code {}", replica.id(), exitCode);
        RuntimeEvent event = new RuntimeEvent(replica.id(), RuntimeEvent.Kind.EXITED, exitCode, clock.instant());
        watchers.publish(event);
    }

    @Override
    public void stop(String containerId, Duration grace) {
        Objects.requireNonNull(containerId, "containerId");
        if (grace == null || grace.isNegative()) {
            throw new IllegalArgumentException("grace must be >= 0, was " + grace);
        }
        ProcessReplica replica = replicas.get(containerId);
        if (replica == null) {
            return;
        }
        replica.requestStop();
        if (ProcessTree.terminate(List.of(replica.process().toHandle()), grace)) {
            LOG.info("stopped {}", containerId);
        } else {
            LOG.warn("{} or one of its children still runs {} after SIGKILL; forgetting it anyway",
                    containerId, ProcessTree.KILL_WAIT);
        }
        replicas.remove(containerId, replica);
    }

    @Override
    public List<ContainerInfo> list(Map<String, String> labels) {
        Objects.requireNonNull(labels, "labels");
        List<ContainerInfo> result = new ArrayList<>();
        for (ProcessReplica replica : replicas.values()) {
            if (replica.labels().entrySet().containsAll(labels.entrySet())) {
                result.add(replica.info());
            }
        }
        result.sort(Comparator.comparing(ContainerInfo::startedAt).thenComparing(ContainerInfo::id));
        return result;
    }

    @Override
    public AutoCloseable watch(Consumer<RuntimeEvent> listener) {
        return watchers.add(listener);
    }

    @Override
    public Optional<ResourceStats> stats(String containerId) {
        ProcessReplica replica = replicas.get(Objects.requireNonNull(containerId, "containerId"));
        if (replica == null || !replica.isRunning()) {
            return Optional.empty();
        }
        return Optional.of(replica.sample(clock.nanoTime()));
    }

    /** The log file of a replica this runtime started and has not stopped yet. */
    public Optional<Path> logFile(String containerId) {
        ProcessReplica replica = replicas.get(Objects.requireNonNull(containerId, "containerId"));
        return replica == null ? Optional.empty() : Optional.of(replica.logFile());
    }

    /** The directory under which each service gets its log directory. */
    public Path logDirectory() {
        return logs.root();
    }

    @Override
    public String name() {
        return "process";
    }

    /**
     * Removes the shutdown hook and the watchers. Does not stop the children: stop them first
     * (the orchestrator does), since the hook no longer covers them afterwards. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        watchers.clear();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shutdownInProgress) {
            LOG.debug("JVM shutting down; the hook of {} stays", this);
        }
    }

    private void stopAllOnShutdown() {
        List<ProcessHandle> running = new ArrayList<>();
        for (ProcessReplica replica : replicas.values()) {
            if (replica.isRunning()) {
                replica.requestStop();
                running.add(replica.process().toHandle());
            }
        }
        if (!running.isEmpty()) {
            ProcessTree.terminate(running, shutdownGrace);
        }
    }

    @Override
    public String toString() {
        return "process-runtime(" + logs.root() + ")";
    }

    /** Configures a {@link ProcessRuntime}; each setter validates its argument. Not thread-safe. */
    public static final class Builder {
        private Clock clock = Clock.system();
        private Path logDirectory = Path.of(System.getProperty("java.io.tmpdir"), DEFAULT_LOG_DIRECTORY_NAME);
        private Path workingDirectory;
        private Duration shutdownGrace = DEFAULT_SHUTDOWN_GRACE;

        private Builder() {
        }

        /** The clock for start times, event times and CPU readings. Default: the system clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Root of the per-service log directories. Default: {@code <java.io.tmpdir>/longshore-logs}. */
        public Builder logDirectory(Path logDirectory) {
            this.logDirectory = Objects.requireNonNull(logDirectory, "logDirectory");
            return this;
        }

        /** The directory commands run in. Default: this JVM's working directory. */
        public Builder workingDirectory(Path workingDirectory) {
            this.workingDirectory = Objects.requireNonNull(workingDirectory, "workingDirectory");
            return this;
        }

        /** How long the JVM-exit hook waits after SIGTERM before killing children. Default 2 s. */
        public Builder shutdownGrace(Duration shutdownGrace) {
            if (shutdownGrace == null || shutdownGrace.isNegative()) {
                throw new IllegalArgumentException("shutdownGrace must be >= 0, was " + shutdownGrace);
            }
            this.shutdownGrace = shutdownGrace;
            return this;
        }

        /** Builds the runtime and registers its JVM-exit hook. */
        public ProcessRuntime build() {
            return new ProcessRuntime(this);
        }
    }
}
