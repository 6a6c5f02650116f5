package io.longshore.kubernetes.internal;

import io.fabric8.kubernetes.api.model.Pod;
import io.longshore.api.ContainerInfo;
import io.longshore.api.ContainerRuntimeException;
import io.longshore.api.ContainerSpec;
import io.longshore.api.Endpoint;
import io.longshore.api.ResourceStats;
import io.longshore.api.RuntimeEvent;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parts of {@link io.longshore.kubernetes.KubernetesRuntime} wired together: the pod factory,
 * the launcher and its follower, the stopper, the pod watch with its exit reporter, the metrics
 * reader. The public runtime validates arguments and its open state, then calls this. Thread-safe.
 */
public final class PodRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PodRuntime.class);

    private final KubernetesRuntimeConfig config;
    private final PodApi api;
    private final Map<String, String> managed;
    private final ScheduledExecutorService background;
    private final PodFactory factory;
    private final RuntimeEvents events;
    private final Launches launches;
    private final ExitReporter exits;
    private final PodTracker tracker;
    private final PodStopper stopper;
    private final LaunchFollower follower;
    private final MetricsReader metrics;

    /** Wires the parts on {@code api}; sends nothing until the first call. */
    public PodRuntime(KubernetesRuntimeConfig config, PodApi api) {
        this.config = config;
        this.api = api;
        this.managed = Map.of(PodFactory.MANAGED_LABEL, "true");
        this.background = config.backgroundExecutor();
        this.factory = new PodFactory(config, api.namespace());
        this.events = new RuntimeEvents(config.listeners(), config.clock());
        RecentNames requestedStops = new RecentNames();
        this.launches = new Launches(requestedStops);
        this.exits = new ExitReporter(requestedStops, launches, config.clock(), events);
        Deletions deletions = new Deletions();
        this.tracker = new PodTracker(api, managed, background, config.reconnect(), config.clock(), events,
                List.of(exits, launches, deletions));
        this.stopper = new PodStopper(api, launches, deletions, requestedStops, config.clock());
        this.follower = new LaunchFollower(api, launches, exits, events, tracker::known, background,
                config.pendingTimeout());
        this.metrics = new MetricsReader(api);
    }

    /** The namespace of the pods. */
    public String namespace() {
        return api.namespace();
    }

    /** The API server's URL. */
    public String server() {
        return api.server();
    }

    /** Whether the API server answers a list of the managed pods right now. Never throws. */
    public boolean isAvailable() {
        try {
            api.list(managed);
            return true;
        } catch (RuntimeException e) {
            LOG.debug("API server {} does not answer", api.server(), e);
            return false;
        }
    }

    /** Creates the pod of {@code spec} and waits up to the start wait for it to run. */
    public ContainerInfo start(ContainerSpec spec, Endpoint endpoint, Map<String, String> labels) {
        tracker.start(config.requestTimeout());
        Pod pod = factory.create(spec, endpoint, labels);
        return new PodLauncher(api, tracker, launches, follower, events, config).launch(pod);
    }

    /** Deletes the pod with the grace period and returns once it is gone. */
    public void stop(String name, Duration grace) {
        tracker.start(config.requestTimeout());
        stopper.stop(name, grace);
    }

    /** The managed pods carrying all of {@code labels}, running or ended. */
    public List<ContainerInfo> list(Map<String, String> labels) {
        Map<String, String> selector = new HashMap<>(labels);
        selector.putAll(managed);
        try {
            return api.list(selector).getItems().stream().map(this::info).toList();
        } catch (RuntimeException e) {
            throw new ContainerRuntimeException(ApiErrors.describe(e, api, "list pods with labels " + labels), e);
        }
    }

    private ContainerInfo info(Pod pod) {
        return new ContainerInfo(PodStates.name(pod), PodStates.endpoint(pod).orElse(null), PodStates.labels(pod),
                PodStates.running(pod), PodStates.startedAt(pod, config.clock().instant()));
    }

    /** Subscribes {@code listener} to unrequested ends and late endpoints; starts the pod watch. */
    public AutoCloseable watch(Consumer<RuntimeEvent> listener) {
        AutoCloseable subscription = exits.subscribe(listener);
        tracker.start(config.requestTimeout());
        return subscription;
    }

    /** One reading from the metrics API, if the cluster has one and the pod a reading. */
    public Optional<ResourceStats> stats(String name) {
        return metrics.read(name, tracker.known(name));
    }

    /** Closes the watch, the background thread and the client; pods keep running. */
    @Override
    public void close() {
        exits.clear();
        tracker.close();
        background.shutdownNow();
        try {
            api.close();
        } catch (RuntimeException e) {
            LOG.debug("closing the Kubernetes client failed", e);
        }
    }
}
