package io.longshore.testkit;

import io.longshore.api.Clock;
import io.longshore.api.ContainerInfo;
import io.longshore.api.ContainerRuntime;
import io.longshore.api.ContainerRuntimeException;
import io.longshore.api.ContainerSpec;
import io.longshore.api.Endpoint;
import io.longshore.api.RuntimeEvent;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A fake service for gateway tests: a {@link ContainerRuntime} whose every container is an
 * in-process {@link ScriptedBackend} listening on the port the orchestrator gives it, so an
 * orchestrator, its router and a gateway run for real, with no process or Docker engine, and a
 * test scripts each replica's answers and reads what each received. Containers are kept as
 * {@link FakeContainerRuntime} keeps them; {@link #crash} closes a replica's backend abruptly
 * and reports the exit. It keeps the {@link ContainerRuntimeContract}.
 *
 * <pre>{@code
 * ScriptedServiceRuntime service = new ScriptedServiceRuntime(endpoint -> request -> ScriptedResponse.ok("hi"));
 * Orchestrator orchestrator = Orchestrator.builder().service(spec).runtime(service).basePort(23_500)
 *         .healthProbe(HealthProbe.tcp(Duration.ofSeconds(1))).build();
 * // route a gateway to it, send requests, then: service.backend(23_500).requests()
 * }</pre>
 *
 * Thread-safe.
 */
public final class ScriptedServiceRuntime implements ContainerRuntime {
    private final FakeContainerRuntime containers;
    private final Function<Endpoint, ScriptedBackend.Dispatcher> dispatchers;
    private final Map<String, ScriptedBackend> backends = new ConcurrentHashMap<>();

    /** Every replica answers as the dispatcher made for its endpoint says. */
    public ScriptedServiceRuntime(Function<Endpoint, ScriptedBackend.Dispatcher> dispatchers) {
        this(dispatchers, Clock.system());
    }

    /** Like {@link #ScriptedServiceRuntime(Function)}, with container times read from {@code clock}. */
    public ScriptedServiceRuntime(Function<Endpoint, ScriptedBackend.Dispatcher> dispatchers, Clock clock) {
        this.dispatchers = Objects.requireNonNull(dispatchers, "dispatchers");
        this.containers = new FakeContainerRuntime(clock);
    }

    /** Every replica answers {@code 200} with {@code body}. */
    public static ScriptedServiceRuntime answering(String body) {
        ScriptedResponse response = ScriptedResponse.ok(body);
        return new ScriptedServiceRuntime(endpoint -> request -> response);
    }

    /**
     * Starts a container record and a backend on {@code endpoint}'s port.
     *
     * @throws ContainerRuntimeException when the port is taken
     */
    @Override
    public ContainerInfo start(ContainerSpec spec, Endpoint endpoint, Map<String, String> labels) {
        ContainerInfo info = containers.start(spec, endpoint, labels);
        try {
            backends.put(info.id(), ScriptedBackend.onPort(endpoint.port(), dispatchers.apply(endpoint)));
        } catch (UncheckedIOException e) {
            containers.stop(info.id(), Duration.ZERO);
            throw new ContainerRuntimeException(info.id(), "port " + endpoint.port() + " is in use", e);
        }
        return info;
    }

    /** Closes the replica's backend and removes the container. */
    @Override
    public void stop(String containerId, Duration grace) {
        ScriptedBackend backend = backends.remove(containerId);
        if (backend != null) {
            backend.close();
        }
        containers.stop(containerId, grace);
    }

    @Override
    public List<ContainerInfo> list(Map<String, String> labels) {
        return containers.list(labels);
    }

    @Override
    public AutoCloseable watch(Consumer<RuntimeEvent> listener) {
        return containers.watch(listener);
    }

    @Override
    public String name() {
        return "scripted";
    }

    /** The replica dies: its backend closes every connection and watchers get an exit with {@code exitCode}. */
    public void crash(String containerId, int exitCode) {
        ScriptedBackend backend = backends.remove(containerId);
        if (backend != null) {
            backend.close();
        }
        containers.crash(containerId, exitCode);
    }

    /** The backend of the running container on {@code port}. */
    public ScriptedBackend backend(int port) {
        for (ContainerInfo info : containers.running()) {
            ScriptedBackend backend = backends.get(info.id());
            if (info.endpoint().port() == port && backend != null) {
                return backend;
            }
        }
        throw new IllegalArgumentException("no running replica on port " + port);
    }

    /** The containers running now. */
    public List<ContainerInfo> running() {
        return containers.running();
    }

    /**
     * Closes every backend still open. Unlike processes or containers, these replicas live in
     * the test's JVM and cannot outlive the runtime object, so closing it ends them (they stay
     * listed).
     */
    @Override
    public void close() {
        backends.values().forEach(ScriptedBackend::close);
        backends.clear();
    }

    @Override
    public String toString() {
        return "scripted-service-runtime";
    }
}
