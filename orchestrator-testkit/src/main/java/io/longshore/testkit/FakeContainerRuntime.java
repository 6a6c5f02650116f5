package io.longshore.testkit;

import io.longshore.api.Clock;
import io.longshore.api.ContainerInfo;
import io.longshore.api.ContainerRuntime;
import io.longshore.api.ContainerRuntimeException;
import io.longshore.api.ContainerSpec;
import io.longshore.api.Endpoint;
import io.longshore.api.RuntimeEvent;
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

/**
 * An in-memory runtime: "containers" are records, nothing listens on their ports. Tests
 * script it: make the next starts fail, delay starts, crash a container (an exit event is
 * sent at once), and read what was started and stopped. Thread-safe.
 */
public final class FakeContainerRuntime implements ContainerRuntime {
    private final Clock clock;
    private final AtomicLong ids = new AtomicLong();
    private final Map<String, ContainerInfo> containers = new LinkedHashMap<>();
    private final List<String> started = new ArrayList<>();
    private final List<String> stopped = new ArrayList<>();
    private final CopyOnWriteArrayList<Consumer<RuntimeEvent>> watchers = new CopyOnWriteArrayList<>();
    private int failuresToInject;
    private String failureMessage = "injected start failure";
    private Runnable startHook = () -> { };

    public FakeContainerRuntime() {
        this(Clock.system());
    }

    public FakeContainerRuntime(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public ContainerInfo start(ContainerSpec spec, Endpoint endpoint, Map<String, String> labels) {
        Runnable hook;
        synchronized (this) {
            hook = startHook;
        }
        hook.run();
        synchronized (this) {
            if (failuresToInject > 0) {
                failuresToInject--;
                throw new ContainerRuntimeException("cannot start on " + endpoint + ": " + failureMessage);
            }
            for (ContainerInfo info : containers.values()) {
                if (info.running() && info.endpoint().equals(endpoint)) {
                    throw new ContainerRuntimeException(info.id(), "port " + endpoint.port() + " is in use", null);
                }
            }
            Map<String, String> all = new HashMap<>(spec.labels());
            all.putAll(labels);
            String id = "fake-" + ids.incrementAndGet();
            ContainerInfo info = new ContainerInfo(id, endpoint, all, true, clock.instant());
            containers.put(id, info);
            started.add(id);
            return info;
        }
    }

    @Override
    public void stop(String containerId, Duration grace) {
        synchronized (this) {
            ContainerInfo info = containers.remove(containerId);
            if (info != null) {
                stopped.add(containerId);
            }
        }
    }

    @Override
    public synchronized List<ContainerInfo> list(Map<String, String> labels) {
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
     * sequence, and has watchers and start/stop records of its own. The state is copied, so use
     * only the newer instance from then on.
     */
    public synchronized FakeContainerRuntime successor() {
        FakeContainerRuntime successor = new FakeContainerRuntime(clock);
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

    /** Adds a running container as if a previous orchestrator had started it. */
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
        RuntimeEvent event = new RuntimeEvent(containerId, kind, exitCode, clock.instant());
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
        return List.copyOf(stopped);
    }

    /** How many watchers are subscribed. */
    public int watcherCount() {
        return watchers.size();
    }

    @Override
    public String toString() {
        return "fake-runtime";
    }
}
