package io.longshore.api;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Starts and stops the replicas of a service: Docker containers, local processes, pods, or fakes.
 *
 * <p>Methods may block (a Docker start takes tens of milliseconds); the orchestrator calls
 * them from its runtime executor, never from the request path. Implementations must be
 * thread-safe. Every implementation passes the test kit's {@code ContainerRuntimeContract}.
 *
 * <h2>Where a replica serves: two kinds of runtime</h2>
 * The orchestrator proposes an endpoint for every replica it starts (its host and the replica's
 * port: {@code basePort}, {@code basePort + 1}, …). What the runtime does with it is its
 * {@link #endpointMode()}:
 * <ul>
 *   <li>{@link EndpointMode#PROPOSED} (the default: process, Docker, the fake): the replica
 *       serves exactly on the proposed endpoint. {@link #start} returns a {@link ContainerInfo}
 *       with that endpoint. A replacement gets the same endpoint as the replica it replaces, so
 *       the runtime must free the port when {@link #stop} returns.</li>
 *   <li>{@link EndpointMode#ASSIGNED} (a multi-host runtime such as Kubernetes): the runtime
 *       decides where the replica serves and reports it. The proposed endpoint is only a hint
 *       (its port names the replica's slot; the runtime may ignore it). {@link #start} returns a
 *       {@link ContainerInfo} with the endpoint when it already knows it, or without one
 *       ({@link ContainerInfo#hasEndpoint()} false) when it learns it later — then it reports it
 *       to every watcher as a {@link RuntimeEvent.Kind#ENDPOINT_ASSIGNED} event, once, as soon as
 *       it is known (a pod's IP once the pod runs), and {@link #list} shows it from then on.</li>
 * </ul>
 * The orchestrator neither probes nor routes a replica whose endpoint it does not know yet.
 */
public interface ContainerRuntime extends AutoCloseable {

    /** Where a runtime's replicas serve: see the class comment. */
    enum EndpointMode {
        /** On the endpoint the orchestrator proposes to {@link #start}. */
        PROPOSED,
        /** On an endpoint the runtime assigns and reports, possibly after {@link #start} returned. */
        ASSIGNED
    }

    /**
     * Starts one replica of {@code spec}, with {@code labels} added to the spec's own. A
     * {@link EndpointMode#PROPOSED} runtime serves it on {@code endpoint}; an
     * {@link EndpointMode#ASSIGNED} one serves it where it decides and reports that in the
     * answer or, later, in an {@link RuntimeEvent.Kind#ENDPOINT_ASSIGNED} event. Returns once the
     * runtime has started it (not once it is healthy: that is the probe's job).
     *
     * @param endpoint the endpoint the orchestrator proposes
     * @throws ContainerRuntimeException when it cannot be started; the message says why
     */
    ContainerInfo start(ContainerSpec spec, Endpoint endpoint, Map<String, String> labels);

    /**
     * Whether replicas serve on the endpoint the orchestrator proposes (the default) or on one
     * the runtime assigns. Constant for the life of the runtime.
     */
    default EndpointMode endpointMode() {
        return EndpointMode.PROPOSED;
    }

    /**
     * Stops a container: polite signal, then a kill after {@code grace}, then removal.
     * Stopping an unknown or already stopped container is not an error.
     */
    void stop(String containerId, Duration grace);

    /** Every container this runtime runs or ran whose labels include all of {@code labels}. */
    List<ContainerInfo> list(Map<String, String> labels);

    /**
     * Subscribes to what happens to containers without being asked: exits (never the result of
     * {@link #stop}) and, for an {@link EndpointMode#ASSIGNED} runtime, endpoint assignments.
     * Events arrive on a runtime thread; the listener must not block. Closing the returned
     * handle unsubscribes.
     */
    AutoCloseable watch(Consumer<RuntimeEvent> listener);

    /** One reading of a running container's resource use, when the runtime can tell. */
    default Optional<ResourceStats> stats(String containerId) {
        return Optional.empty();
    }

    /** A short name for logs and the admin API, e.g. {@code docker} or {@code process}. */
    String name();

    /** Releases the runtime's own resources; does not stop containers. Idempotent. */
    @Override
    default void close() {
    }
}
