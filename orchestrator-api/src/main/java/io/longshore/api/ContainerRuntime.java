package io.longshore.api;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Starts and stops the replicas of a service: Docker containers, local processes, or fakes.
 *
 * <p>Methods may block (a Docker start takes tens of milliseconds); the orchestrator calls
 * them from its runtime executor, never from the request path. Implementations must be
 * thread-safe. Every implementation passes the test kit's {@code ContainerRuntimeContract}.
 */
public interface ContainerRuntime extends AutoCloseable {

    /**
     * Starts one replica of {@code spec} serving on {@code endpoint}, with {@code labels}
     * added to the spec's own. Returns once the runtime has started it (not once it is
     * healthy: that is the probe's job).
     *
     * @throws ContainerRuntimeException when it cannot be started; the message says why
     */
    ContainerInfo start(ContainerSpec spec, Endpoint endpoint, Map<String, String> labels);

    /**
     * Stops a container: polite signal, then a kill after {@code grace}, then removal.
     * Stopping an unknown or already stopped container is not an error.
     */
    void stop(String containerId, Duration grace);

    /** Every container this runtime runs or ran whose labels include all of {@code labels}. */
    List<ContainerInfo> list(Map<String, String> labels);

    /**
     * Subscribes to unrequested exits. Events arrive on a runtime thread; the listener must
     * not block. Closing the returned handle unsubscribes.
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
