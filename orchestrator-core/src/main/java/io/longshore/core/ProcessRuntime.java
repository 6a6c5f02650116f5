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
 * The embedded default runtime: every replica is a local process running
 * {@link ContainerSpec#command()}, for machines without Docker. Build one with {@link #builder()}.
 *
 * <ul>
 *   <li><b>Start</b> spawns the command with the JVM's environment plus {@link ContainerSpec#env()},
 *       then {@code PORT} and {@code HOST} from the endpoint (these two always win). Stdin is
 *       closed; stdout and stderr go to {@code <logDirectory>/<service>/<service>-<port>-<id>.log},
 *       beside a {@code .properties} sidecar. The id is {@code pid-<pid>}. The replica is recorded
 *       in the state directory (written atomically). It returns once the process is spawned:
 *       readiness is the probe's job, and a process that dies at once is reported by an exit
 *       event. The image, limits and network mode of the spec are ignored.</li>
 *   <li><b>Stop</b> sends SIGTERM to the process and all its descendants, waits up to the grace
 *       period, then kills what is left; it returns once they are gone, deletes the record and
 *       forgets the replica.</li>
 *   <li><b>Watch</b> reports every exit not requested through {@code stop} as
 *       {@link RuntimeEvent.Kind#EXITED}: at once with the exit code for a child (137 for SIGKILL),
 *       within {@link ProcessExitPoller#INTERVAL} for a replica under a watchdog (with its exit
 *       code) or adopted from a dead JVM (exit code -1: unknown). A throwing listener is logged and
 *       skipped.</li>
 *   <li><b>List</b> first adopts the live replicas recorded by runtimes whose JVM is gone (see
 *       {@link OrphanPolicy#ADOPT}) and deletes the records of dead ones, then shows the replicas
 *       this instance started or adopted, running or exited, until they are stopped.</li>
 *   <li><b>Stats</b> give CPU (delta of the tree's total CPU time over the injected clock's
 *       time since the previous reading) and resident memory from {@code /proc} on Linux.</li>
 *   <li><b>When this JVM ends</b> normally or on SIGTERM/SIGINT, a shutdown hook stops the running
 *       replicas with {@link ProcessRuntimeBuilder#shutdownGrace(Duration)}. When it dies without
 *       running hooks (SIGKILL), {@link ProcessRuntimeBuilder#orphans(OrphanPolicy)} decides: the
 *       replicas live on to be adopted, or end within a second. {@link #close()} removes the hook
 *       and does <em>not</em> stop the replicas (the orchestrator stops them first).</li>
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class ProcessRuntime implements ContainerRuntime {
    /** The default log directory: {@code <java.io.tmpdir>/longshore-logs}. */
    public static final String DEFAULT_LOG_DIRECTORY_NAME = "longshore-logs";
    /** The default state directory: {@code <java.io.tmpdir>/longshore-processes-<user.name>}. */
    public static final String DEFAULT_STATE_DIRECTORY_NAME = "longshore-processes";
    /** Default time the shutdown hook gives children after SIGTERM before killing them. */
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(2);
    /** What becomes of replicas whose JVM dies, unless told otherwise: they are adopted. */
    public static final OrphanPolicy DEFAULT_ORPHANS = OrphanPolicy.ADOPT;

    private static final Logger LOG = LoggerFactory.getLogger(ProcessRuntime.class);

    private final Clock clock;
    private final ProcessLogFiles logs;
    private final ProcessLauncher launcher;
    private final ProcessRecords records;
    private final ProcessAdoption adoption;
    private final ProcessIdentity self;
    private final OrphanPolicy orphans;
    private final Duration shutdownGrace;
    private final Map<String, ProcessReplica> replicas = new ConcurrentHashMap<>();
    private final TreeUsage.Reader usage = TreeUsage.Reader.ofProcfs();
    private final ProcessExitReporter exits;
    private final Object adoptionLock = new Object();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread shutdownHook;

    ProcessRuntime(ProcessRuntimeBuilder builder, ProcessRecords records, ProcessWatchdog watchdog) {
        this.clock = builder.clock();
        this.logs = new ProcessLogFiles(builder.logDirectory());
        this.launcher = new ProcessLauncher(builder.workingDirectory(), watchdog);
        this.records = records;
        this.self = ProcessIdentity.current();
        this.orphans = builder.orphans();
        this.shutdownGrace = builder.shutdownGrace();
        this.exits = new ProcessExitReporter(clock);
        this.adoption = new ProcessAdoption(records, self, orphans, shutdownGrace);
        this.shutdownHook = new Thread(this::stopAllOnShutdown, "longshore-process-runtime-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** A builder with the defaults: system clock, log and state directories under {@code java.io.tmpdir}. */
    public static ProcessRuntimeBuilder builder() {
        return new ProcessRuntimeBuilder();
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
        ProcessLauncher.Launched launched = launcher.launch(spec, endpoint, log);
        String id = "pid-" + launched.pid();
        log = logs.rename(log, spec.service(), endpoint.port(), id);
        ProcessRecord record = new ProcessRecord(id,
                ProcessIdentity.of(launched.pid()).orElse(new ProcessIdentity(launched.pid(), -1)), endpoint,
                allLabels, ContainerLabels.specHash(spec), log, clock.instant(), orphans, Optional.of(self));
        ProcessReplica replica = new ProcessReplica(record, launched.handle(), launched.process(),
                orphans == OrphanPolicy.DIE_WITH_PARENT, usage, clock.nanoTime());
        replicas.put(id, replica);
        persist(replica, spec);
        exits.follow(replica);
        LOG.info("started {} for service {} on {}, log {}", id, spec.service(), endpoint, log);
        return replica.info();
    }

    /** Records the replica for adoption; a replica that cannot be recorded is stopped again. */
    private void persist(ProcessReplica replica, ContainerSpec spec) {
        try {
            if (replica.record().process().startTime() >= 0) {
                records.write(replica.record());
            }
        } catch (IOException | RuntimeException e) {
            stop(replica.id(), Duration.ZERO);
            throw new ContainerRuntimeException(replica.id(), "cannot record the process of service '" + spec.service()
                    + "' in " + records.directory() + " (stopped it again): " + e, e);
        }
        try {
            logs.writeSidecar(replica.logFile(), replica.id(), replica.record().endpoint(), spec.command(),
                    replica.labels());
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot write the label sidecar of {} next to {}", replica.id(), replica.logFile(), e);
        }
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
        exits.forget(containerId);
        if (ProcessTree.terminate(replica.handle().map(List::of).orElse(List.of()), grace)) {
            LOG.info("stopped {}", containerId);
        } else {
            LOG.warn("{} or one of its children still runs {} after SIGKILL; forgetting it anyway",
                    containerId, ProcessTree.KILL_WAIT);
        }
        replica.releaseWatchdog();
        replica.awaitWatchdog(ProcessTree.KILL_WAIT);
        records.delete(containerId);
        replicas.remove(containerId, replica);
    }

    /**
     * The replicas carrying all of {@code labels}: those this runtime started or adopted (running
     * or exited, until stopped), after adopting the live ones recorded by runtimes whose JVM is
     * gone (see the class comment).
     */
    @Override
    public List<ContainerInfo> list(Map<String, String> labels) {
        Objects.requireNonNull(labels, "labels");
        if (!closed.get()) {
            adoptRecorded(labels);
        }
        List<ContainerInfo> result = new ArrayList<>();
        for (ProcessReplica replica : replicas.values()) {
            if (replica.record().matches(labels)) {
                result.add(replica.info());
            }
        }
        result.sort(Comparator.comparing(ContainerInfo::startedAt).thenComparing(ContainerInfo::id));
        return result;
    }

    private void adoptRecorded(Map<String, String> labels) {
        synchronized (adoptionLock) {
            for (ProcessRecord record : adoption.claimable(labels, replicas::containsKey)) {
                adopt(record);
            }
        }
    }

    private void adopt(ProcessRecord found) {
        ProcessRecord record = found.ownedBy(Optional.of(self));
        try {
            records.write(record);
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot claim {} in {}; leaving it alone", record.id(), records.directory(), e);
            return;
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(record.process().pid());
        ProcessReplica replica = new ProcessReplica(record, handle, null, false, usage, clock.nanoTime());
        replicas.put(record.id(), replica);
        exits.follow(replica);
        LOG.info("adopted {} on {} (labels {})", record.id(), record.endpoint(),
                ContainerLabels.withoutSpec(record.labels()));
    }

    @Override
    public AutoCloseable watch(Consumer<RuntimeEvent> listener) {
        return exits.watch(listener);
    }

    @Override
    public Optional<ResourceStats> stats(String containerId) {
        ProcessReplica replica = replicas.get(Objects.requireNonNull(containerId, "containerId"));
        if (replica == null || !replica.isRunning()) {
            return Optional.empty();
        }
        return Optional.of(replica.sample(clock.nanoTime()));
    }

    /** The log file of a replica this runtime started or adopted and has not stopped yet. */
    public Optional<Path> logFile(String containerId) {
        ProcessReplica replica = replicas.get(Objects.requireNonNull(containerId, "containerId"));
        return replica == null ? Optional.empty() : Optional.of(replica.logFile());
    }

    /** The directory under which each service gets its log directory. */
    public Path logDirectory() {
        return logs.root();
    }

    /** The directory holding a record of every replica this runtime runs. */
    public Path stateDirectory() {
        return records.directory();
    }

    /** What becomes of the replicas if this JVM dies without stopping them. */
    public OrphanPolicy orphans() {
        return orphans;
    }

    @Override
    public String name() {
        return "process";
    }

    /**
     * Removes the shutdown hook and the watchers. Does not stop the children: stop them first
     * (the orchestrator does), since the hook no longer covers them afterwards. Under
     * {@link OrphanPolicy#ADOPT} the records of replicas still running are released, so that the
     * next runtime on the state directory, in this JVM or another, adopts them; under
     * {@link OrphanPolicy#DIE_WITH_PARENT} they still end with this JVM, and one that exits before
     * is still reaped: its exit is no longer reported, but its watchdog is released as before (the
     * thread that looks for such exits ends with the last of these replicas). Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        exits.close();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shutdownInProgress) {
            LOG.debug("JVM shutting down; the hook of {} stays", this);
        }
        if (orphans == OrphanPolicy.ADOPT) {
            replicas.values().stream().filter(ProcessReplica::isRunning).forEach(this::release);
        }
    }

    private void release(ProcessReplica replica) {
        try {
            records.write(replica.record().ownedBy(Optional.empty()));
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot release the record of {}", replica.id(), e);
        }
    }

    private void stopAllOnShutdown() {
        List<ProcessHandle> running = new ArrayList<>();
        List<ProcessReplica> stopping = new ArrayList<>();
        for (ProcessReplica replica : replicas.values()) {
            if (replica.isRunning()) {
                replica.requestStop();
                replica.handle().ifPresent(running::add);
                stopping.add(replica);
            }
        }
        if (!running.isEmpty()) {
            ProcessTree.terminate(running, shutdownGrace);
        }
        stopping.forEach(replica -> records.delete(replica.id()));
    }

    @Override
    public String toString() {
        return "process-runtime(" + records.directory() + ", " + orphans + ")";
    }
}
