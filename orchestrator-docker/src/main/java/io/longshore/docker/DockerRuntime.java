package io.longshore.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Container;
import io.longshore.api.Clock;
import io.longshore.api.ContainerInfo;
import io.longshore.api.ContainerRuntime;
import io.longshore.api.ContainerRuntimeException;
import io.longshore.api.ContainerSpec;
import io.longshore.api.Endpoint;
import io.longshore.api.ImageNotFoundException;
import io.longshore.api.OrchestratorException;
import io.longshore.api.ResourceStats;
import io.longshore.api.RuntimeEvent;
import io.longshore.api.internal.Checks;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ContainerRuntime} that runs replicas as Docker containers through docker-java,
 * against the engine's API 1.41 or newer. Build one with {@link #builder()}; it connects through
 * {@code DOCKER_HOST} or the default socket unless told otherwise.
 *
 * <p>A spec becomes a container with its image (pulled by its pull policy), its command as the
 * image's arguments, its environment plus {@code PORT} and {@code HOST}, its labels plus the
 * caller's plus {@link #MANAGED_LABEL} and {@link #ENDPOINT_LABEL}, its memory and CPU limits, an
 * init process (so signals reach workloads that ignore them as PID 1), its stop grace period, and
 * host networking (the workload binds the replica's port on 127.0.0.1) or a bridge with the
 * replica's port published on the replica's host address.
 *
 * <p>Crashes come from the engine's {@code die} events within milliseconds (an {@code oom} event
 * alone is no exit: it may be a child the container survives);
 * containers stopped through {@link #stop} are never reported. Thread-safe; {@link #close()}
 * releases the connection and the watchers, never the containers.
 */
public final class DockerRuntime implements ContainerRuntime {
    /**
     * Label on every container this runtime creates; {@link #list} and {@link #watch} are limited
     * to these. {@link #stop} and {@link #stats} take any id they are given: the caller got it from
     * {@link #start} or {@link #list}.
     */
    public static final String MANAGED_LABEL = "io.longshore.managed";
    /** Label holding the replica's endpoint ({@code host:port}), so {@link #list} can report it. */
    public static final String ENDPOINT_LABEL = "io.longshore.endpoint";

    private static final Logger LOG = LoggerFactory.getLogger(DockerRuntime.class);

    private final DockerClient client;
    private final DockerRuntimeConfig config;
    private final ScheduledExecutorService background;
    private final ContainerFactory factory;
    private final ImageResolver images;
    private final StatsReader stats;
    private final RecentIds requestedStops = new RecentIds();
    private final Set<EventSubscription> subscriptions = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final EngineInfo engine;

    DockerRuntime(DockerRuntimeConfig config) {
        this.config = config;
        this.client = config.connect();
        this.background = config.backgroundExecutor();
        this.factory = new ContainerFactory(client, config.clock());
        this.images = new ImageResolver(client, config.pullTimeout());
        this.engine = new EngineInfo(client);
        this.stats = new StatsReader(client, config.responseTimeout(), engine::hostMemory);
    }

    /** A builder with the defaults: {@code DOCKER_HOST} or the default socket, API 1.41. */
    public static DockerRuntimeBuilder builder() {
        return new DockerRuntimeBuilder();
    }

    /** Whether the engine answers a ping right now. Never throws. */
    public boolean isAvailable() {
        try {
            client.pingCmd().exec();
            return true;
        } catch (RuntimeException e) {
            LOG.debug("Docker engine at {} does not answer", config.dockerHost(), e);
            return false;
        }
    }

    /**
     * Whether {@code image} is present on the engine (no pull is attempted); false for a reference
     * the engine cannot read.
     *
     * @throws ContainerRuntimeException when the engine cannot be asked; the message names it
     */
    public boolean hasImage(String image) {
        Checks.requireNonBlank(image, "image");
        try {
            return images.isPresent(image);
        } catch (ImageNotFoundException unreadableReference) {
            return false;
        } catch (RuntimeException e) {
            throw new ContainerRuntimeException("cannot look up image '" + image + "' on the Docker engine ("
                    + hostName() + "): " + e.getMessage(), e);
        }
    }

    /**
     * Creates and starts the container; {@link ImageNotFoundException} when the image is absent and
     * may not or cannot be pulled, {@link ContainerRuntimeException} for any other failure,
     * including an unreachable engine.
     */
    @Override
    public ContainerInfo start(ContainerSpec spec, Endpoint endpoint, Map<String, String> labels) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(labels, "labels");
        if (spec.image().isEmpty()) {
            throw new ContainerRuntimeException("spec of service '" + spec.service() + "' has no image; "
                    + "the Docker runtime runs images (the command is passed as the image's arguments)");
        }
        try {
            return createAndStart(spec, endpoint, labels);
        } catch (OrchestratorException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ContainerRuntimeException("cannot start image '" + spec.image() + "' on " + endpoint
                    + ": the Docker engine (" + hostName() + ") failed: " + e, e);
        }
    }

    private ContainerInfo createAndStart(ContainerSpec spec, Endpoint endpoint, Map<String, String> labels) {
        images.resolve(spec.image(), spec.pullPolicy());
        Map<String, String> all = new HashMap<>(spec.labels());
        all.putAll(labels);
        all.put(MANAGED_LABEL, "true");
        all.put(ENDPOINT_LABEL, endpoint.toString());
        String id = create(spec, endpoint, all);
        try {
            client.startContainerCmd(id).exec();
        } catch (RuntimeException e) {
            // Also a lost answer: the engine may have started it; the id lets the caller stop it if removal fails.
            // Its end is this start's failure, not an exit to report.
            requestedStops.add(id);
            String removal = removeQuietly(id) ? "removed it" : "could not remove it";
            throw new ContainerRuntimeException(id, "cannot start container of image '" + spec.image() + "' on "
                    + endpoint + ": " + e + "; " + removal, e);
        }
        return new ContainerInfo(id, endpoint, all, true, config.clock().instant());
    }

    private String create(ContainerSpec spec, Endpoint endpoint, Map<String, String> labels) {
        try {
            return factory.create(spec, endpoint, labels);
        } catch (NotFoundException e) {
            throw new ImageNotFoundException(spec.image(), "image '" + spec.image()
                    + "' disappeared before its container could be created", e);
        } catch (DockerException e) {
            throw new ContainerRuntimeException("cannot create a container of image '" + spec.image() + "' on "
                    + endpoint + ": " + e.getMessage(), e);
        }
    }

    /**
     * Stops with the grace period (the engine sends SIGTERM, then SIGKILL), then force-removes the
     * container, which kills it if it is somehow still running. Unknown ids are ignored.
     */
    @Override
    public void stop(String containerId, Duration grace) {
        Checks.requireNonBlank(containerId, "containerId");
        Objects.requireNonNull(grace, "grace");
        requestedStops.add(containerId);
        stats.forget(containerId);
        try {
            client.stopContainerCmd(containerId).withTimeout(graceSeconds(grace)).exec();
        } catch (NotFoundException | NotModifiedException alreadyGoneOrStopped) {
            LOG.debug("stop {}: {}", containerId, alreadyGoneOrStopped.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("graceful stop of {} failed ({}); killing it", containerId, e.toString());
        }
        try {
            client.removeContainerCmd(containerId).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException alreadyGone) {
            LOG.debug("remove {}: already gone", containerId);
        } catch (RuntimeException e) {
            if (!String.valueOf(e.getMessage()).contains("already in progress")) {
                throw new ContainerRuntimeException(containerId, "cannot remove container: " + e.getMessage(), e);
            }
        }
    }

    private static int graceSeconds(Duration grace) {
        long millis = grace.toMillis();
        return (int) Math.min(Integer.MAX_VALUE, (millis + 999) / 1000);
    }

    /** Running and exited containers carrying all of {@code labels} that this runtime manages. */
    @Override
    public List<ContainerInfo> list(Map<String, String> labels) {
        Objects.requireNonNull(labels, "labels");
        Map<String, String> filter = new HashMap<>(labels);
        filter.put(MANAGED_LABEL, "true");
        List<ContainerInfo> result = new ArrayList<>();
        try {
            for (Container container : client.listContainersCmd().withShowAll(true).withLabelFilter(filter).exec()) {
                toInfo(container).ifPresent(result::add);
            }
        } catch (RuntimeException e) {
            throw new ContainerRuntimeException("cannot list containers with labels " + labels + " on the Docker engine ("
                    + hostName() + "): " + e.getMessage(), e);
        }
        return result;
    }

    private static Optional<ContainerInfo> toInfo(Container container) {
        Map<String, String> labels = container.getLabels() == null ? Map.of() : container.getLabels();
        String endpoint = labels.get(ENDPOINT_LABEL);
        if (endpoint == null) {
            return Optional.empty();
        }
        boolean running = "running".equalsIgnoreCase(container.getState());
        Instant created = Instant.ofEpochSecond(container.getCreated() == null ? 0 : container.getCreated());
        return Optional.of(new ContainerInfo(container.getId(), Endpoint.parse(endpoint), labels, running, created));
    }

    /**
     * Subscribes to unrequested exits of managed containers. Returns once the engine streams
     * events (or after the connect timeout, retrying in the background); the stream reconnects
     * with backoff if it breaks. Events arrive on a docker-java thread.
     */
    @Override
    public AutoCloseable watch(Consumer<RuntimeEvent> listener) {
        Objects.requireNonNull(listener, "listener");
        if (closed.get()) {
            throw new IllegalStateException("runtime is closed");
        }
        EventSubscription subscription = new EventSubscription(client, config.clock(), background,
                config.reconnectBackoff(), requestedStops, listener, engine.now().orElse(null));
        subscriptions.add(subscription);
        try {
            subscription.open(config.connectTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            subscription.close();
            subscriptions.remove(subscription);
            throw new ContainerRuntimeException("interrupted while subscribing to Docker events", e);
        }
        return () -> {
            subscriptions.remove(subscription);
            subscription.close();
        };
    }

    /** One reading (about a second: the engine samples twice); empty for unknown containers. */
    @Override
    public Optional<ResourceStats> stats(String containerId) {
        Checks.requireNonBlank(containerId, "containerId");
        return stats.read(containerId);
    }

    @Override
    public String name() {
        return "docker";
    }

    /** Package-private access for {@link BusyboxWorkloadImage}; docker-java types stay internal. */
    DockerClient client() {
        return client;
    }

    /** Whether {@code id} is gone now. */
    private boolean removeQuietly(String id) {
        try {
            client.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
            return true;
        } catch (NotFoundException alreadyGone) {
            return true;
        } catch (RuntimeException e) {
            LOG.warn("cleanup of container {} after a failed start failed: {}", id, e.toString());
            return false;
        }
    }

    /** Closes the watchers and the connection; containers keep running. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        subscriptions.forEach(EventSubscription::close);
        subscriptions.clear();
        background.shutdownNow();
        try {
            client.close();
        } catch (Exception e) {
            LOG.debug("closing the Docker client failed", e);
        }
    }

    @Override
    public String toString() {
        return "docker(" + hostName() + ", api " + config.apiVersion() + ")";
    }

    private String hostName() {
        return config.dockerHost() == null ? "DOCKER_HOST or default socket" : config.dockerHost();
    }
}
