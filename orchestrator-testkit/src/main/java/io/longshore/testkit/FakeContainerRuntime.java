package io.longshore.testkit;

import io.longshore.api.Clock;
import io.longshore.api.ContainerInfo;
import io.longshore.api.ContainerRuntime;
import io.longshore.api.ContainerRuntimeException;
import io.longshore.api.ContainerSpec;
import io.longshore.api.Endpoint;
import io.longshore.api.RuntimeEvent;
import io.longshore.api.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * An in-memory runtime: "containers" are records, nothing listens on their ports. Tests
 * script it: make the next starts fail, delay starts, crash a container (an exit event is
 * sent at once), and read what was started and stopped (with which grace).
 *
 * <p>By default it takes the endpoint the orchestrator proposes ({@link EndpointMode#PROPOSED}),
 * as the process and Docker runtimes do, and refuses a second running container on one endpoint.
 * {@link #assigningEndpoints} and {@link #assigningEndpointsLater} make one that assigns
 * endpoints itself ({@link EndpointMode#ASSIGNED}), as a Kubernetes runtime does: the n-th
 * container started serves on {@code assigner.apply(n)}, reported in the start's answer or,
 * later, as an {@link RuntimeEvent.Kind#ENDPOINT_ASSIGNED} event.
 *
 * <p>Thread-safe.
 */
public final class FakeContainerRuntime implements ContainerRuntime {
    private final Clock clock;
    private final EndpointMode mode;
    private final IntFunction<Endpoint> assigner;
    private final Duration reportDelay;
    private final Scheduler reporter;
    private final AtomicLong ids = new AtomicLong();
    private final Map<String, ContainerInfo> containers = new LinkedHashMap<>();
    private final List<String> started = new ArrayList<>();
    private final List<Stop> stops = new ArrayList<>();
    private final CopyOnWriteArrayList<Consumer<RuntimeEvent>> watchers = new CopyOnWriteArrayList<>();
    private int failuresToInject;
    private int listFailuresToInject;
    private int lists;
    private String failureMessage = "injected start failure";
    private Runnable startHook = () -> { };

    /** One call of {@link #stop} for a container this runtime knew. */
    public record Stop(String containerId, Duration grace) { }

    /** A fake on the system clock that takes the proposed endpoints. */
    public FakeContainerRuntime() {
        this(Clock.system());
    }

    /** A fake on {@code clock} that takes the proposed endpoints. */
    public FakeContainerRuntime(Clock clock) {
        this(clock, EndpointMode.PROPOSED, null, Duration.ZERO, null);
    }

    private FakeContainerRuntime(Clock clock, EndpointMode mode, IntFunction<Endpoint> assigner, Duration reportDelay,
                                 Scheduler reporter) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.mode = mode;
        this.assigner = assigner;
        this.reportDelay = reportDelay;
        this.reporter = reporter;
    }

    /**
     * A fake that assigns endpoints: the n-th container started (from 1) serves on
     * {@code assigner.apply(n)}, whatever was proposed, and the start's answer says so.
     */
    public static FakeContainerRuntime assigningEndpoints(Clock clock, IntFunction<Endpoint> assigner) {
        return new FakeContainerRuntime(clock, EndpointMode.ASSIGNED, Objects.requireNonNull(assigner, "assigner"),
                Duration.ZERO, null);
    }

    /**
     * A fake that assigns endpoints and learns them late, as a Kubernetes runtime learns a pod's
     * IP once the pod runs: the start's answer has no endpoint; {@code delay} later, run on
     * {@code scheduler} (a {@link DeterministicScheduler} for virtual time), the n-th container
     * gets {@code assigner.apply(n)} and every watcher an
     * {@link RuntimeEvent.Kind#ENDPOINT_ASSIGNED} event — unless it was stopped meanwhile.
     */
    public static FakeContainerRuntime assigningEndpointsLater(Clock clock, IntFunction<Endpoint> assigner,
                                                               Duration delay, Scheduler scheduler) {
        if (delay == null || delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative, was " + delay);
        }
        return new FakeContainerRuntime(clock, EndpointMode.ASSIGNED, Objects.requireNonNull(assigner, "assigner"),
                delay, Objects.requireNonNull(scheduler, "scheduler"));
    }

    @Override
    public EndpointMode endpointMode() {
        return mode;
    }

    @Override
    public ContainerInfo start(ContainerSpec spec, Endpoint endpoint, Map<String, String> labels) {
        Runnable hook;
        synchronized (this) {
            hook = startHook;
        }
        hook.run();
        ContainerInfo info;
        int number;
        synchronized (this) {
            if (failuresToInject > 0) {
                failuresToInject--;
                throw new ContainerRuntimeException("cannot start on " + endpoint + ": " + failureMessage);
            }
            if (mode == EndpointMode.PROPOSED) {
                refuseIfInUse(endpoint);
            }
            Map<String, String> all = new HashMap<>(spec.labels());
            all.putAll(labels);
            number = (int) ids.incrementAndGet();
            String id = "fake-" + number;
            Endpoint serving = mode == EndpointMode.PROPOSED ? endpoint
                    : reporter == null ? Objects.requireNonNull(assigner.apply(number), "assigned endpoint") : null;
            info = new ContainerInfo(id, serving, all, true, clock.instant());
            containers.put(id, info);
            started.add(id);
        }
        if (reporter != null) {
            reporter.schedule(() -> reportEndpoint(info.id(), number), reportDelay);
        }
        return info;
    }

    private void refuseIfInUse(Endpoint endpoint) {
        for (ContainerInfo info : containers.values()) {
            if (info.running() && endpoint.equals(info.endpoint())) {
                throw new ContainerRuntimeException(info.id(), "port " + endpoint.port() + " is in use", null);
            }
        }
    }

    private void reportEndpoint(String containerId, int number) {
        Endpoint endpoint = Objects.requireNonNull(assigner.apply(number), "assigned endpoint");
        synchronized (this) {
            ContainerInfo info = containers.get(containerId);
            if (info == null) {
                return;
            }
            containers.put(containerId, info.withEndpoint(endpoint));
        }
        tell(RuntimeEvent.endpointAssigned(containerId, endpoint, clock.instant()));
    }

    @Override
    public void stop(String containerId, Duration grace) {
        synchronized (this) {
            ContainerInfo info = containers.remove(containerId);
            if (info != null) {
                stops.add(new Stop(containerId, grace));
            }
        }
    }

    @Override
    public synchronized List<ContainerInfo> list(Map<String, String> labels) {
        lists++;
        if (listFailuresToInject > 0) {
            listFailuresToInject--;
            throw new ContainerRuntimeException("cannot list containers: the runtime is unreachable (injected)");
        }
        List<ContainerInfo> result = new ArrayList<>();
        for (ContainerInfo info : containers.values()) {
            if (info.labels().entrySet().containsAll(labels.entrySet())) {
                result.add(info);
            }
        }
        return result;
    }

    @Override
    public AutoCloseable watch(Consumer<RuntimeEvent> listener) {
        watchers.add(Objects.requireNonNull(listener, "listener"));
        return () -> watchers.remove(listener);
    }

    @Override
    public String name() {
        return "fake";
    }

    /**
     * A new fake on the same state, as a new runtime instance that finds what an earlier one left
     * (say, after that one's user died): it lists this one's containers, continues its id
     * sequence, assigns endpoints as this one does, and has watchers and start/stop records of its own. The state is copied, so use
     * only the newer instance from then on.
     */
    public synchronized FakeContainerRuntime successor() {
        FakeContainerRuntime successor = new FakeContainerRuntime(clock, mode, assigner, reportDelay, reporter);
        successor.containers.putAll(containers);
        successor.ids.set(ids.get());
        return successor;
    }

    /** The next {@code count} starts throw {@link ContainerRuntimeException} with {@code message}. */
    public synchronized FakeContainerRuntime failNextStarts(int count, String message) {
        this.failuresToInject = count;
        this.failureMessage = Objects.requireNonNull(message, "message");
        return this;
    }

    /** The next {@code count} calls of {@link #list} throw {@link ContainerRuntimeException}, as an unreachable runtime's. */
    public synchronized FakeContainerRuntime failNextLists(int count) {
        this.listFailuresToInject = count;
        return this;
    }

    /** How many times {@link #list} was called, failed calls included. */
    public synchronized int listCalls() {
        return lists;
    }

    /** Runs {@code hook} at the start of every {@link #start} call (to block, count, or advance time). */
    public synchronized FakeContainerRuntime onStart(Runnable hook) {
        this.startHook = Objects.requireNonNull(hook, "hook");
        return this;
    }

    /**
     * The container's process dies: it is marked exited and every watcher gets an
     * {@link RuntimeEvent.Kind#EXITED} event with {@code exitCode}, on the caller's thread.
     */
    public void crash(String containerId, int exitCode) {
        exit(containerId, RuntimeEvent.Kind.EXITED, exitCode);
    }

    /** Like {@link #crash} but reported as killed for memory. */
    public void oomKill(String containerId) {
        exit(containerId, RuntimeEvent.Kind.OOM_KILLED, 137);
    }

    /** Marks a container exited without telling anyone, as a runtime that missed the event would. */
    public synchronized void crashSilently(String containerId) {
        ContainerInfo info = requireKnown(containerId);
        containers.put(containerId, withRunning(info, false));
    }

    /**
     * Adds a running container as if a previous orchestrator had started it, serving on
     * {@code endpoint} ({@code null}: not known yet, for an assigning fake).
     */
    public synchronized ContainerInfo preload(Endpoint endpoint, Map<String, String> labels) {
        String id = "fake-" + ids.incrementAndGet();
        ContainerInfo info = new ContainerInfo(id, endpoint, labels, true, clock.instant());
        containers.put(id, info);
        return info;
    }

    private void exit(String containerId, RuntimeEvent.Kind kind, int exitCode) {
        synchronized (this) {
            ContainerInfo info = requireKnown(containerId);
            containers.put(containerId, withRunning(info, false));
        }
        tell(new RuntimeEvent(containerId, kind, exitCode, clock.instant()));
    }

    private void tell(RuntimeEvent event) {
        for (Consumer<RuntimeEvent> watcher : watchers) {
            watcher.accept(event);
        }
    }

    private ContainerInfo requireKnown(String containerId) {
        ContainerInfo info = containers.get(containerId);
        if (info == null) {
            throw new IllegalArgumentException("no container " + containerId);
        }
        return info;
    }

    private static ContainerInfo withRunning(ContainerInfo info, boolean running) {
        return new ContainerInfo(info.id(), info.endpoint(), info.labels(), running, info.startedAt());
    }

    /** Containers that are running now. */
    public synchronized List<ContainerInfo> running() {
        return containers.values().stream().filter(ContainerInfo::running).toList();
    }

    /** Ids of every container started, in order. */
    public synchronized List<String> startedIds() {
        return List.copyOf(started);
    }

    /** Ids of every container stopped through {@link #stop}, in order. */
    public synchronized List<String> stoppedIds() {
        return stops.stream().map(Stop::containerId).toList();
    }

    /** Every {@link #stop} of a known container, in order, with the grace it was given. */
    public synchronized List<Stop> stops() {
        return List.copyOf(stops);
    }

    /** How many watchers are subscribed. */
    public int watcherCount() {
        return watchers.size();
    }

    @Override
    public String toString() {
        return mode == EndpointMode.PROPOSED ? "fake-runtime" : "fake-runtime(assigns endpoints)";
    }
}
