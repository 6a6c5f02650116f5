package io.longshore.kubernetes;

import io.longshore.api.ContainerInfo;
import io.longshore.api.ContainerRuntime;
import io.longshore.api.ContainerRuntimeException;
import io.longshore.api.ContainerSpec;
import io.longshore.api.Endpoint;
import io.longshore.api.ResourceStats;
import io.longshore.api.RuntimeEvent;
import io.longshore.kubernetes.internal.KubernetesRuntimeConfig;
import io.longshore.kubernetes.internal.PodApi;
import io.longshore.kubernetes.internal.PodFactory;
import io.longshore.kubernetes.internal.PodRuntime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A {@link ContainerRuntime} that runs each replica as a Pod (not a Deployment: the orchestrator
 * owns the count) through the fabric8 Kubernetes client. Build one with {@link #builder()}.
 *
 * <p>A spec becomes a pod (see {@link KubernetesRuntimeBuilder} for namespace, service account,
 * node selector, tolerations and the pod overlay): its image with its command as the image's
 * arguments, its environment plus {@code PORT} (the spec's container port, else the replica's port)
 * and {@code HOST=0.0.0.0}, CPU and memory as requests and limits, its labels plus the caller's plus
 * {@link #MANAGED_LABEL}, {@code restartPolicy: Never}, and the stop grace as termination grace.
 *
 * <p>The runtime {@linkplain EndpointMode#ASSIGNED assigns endpoints}: a replica serves on its
 * pod's IP and container port, known once the pod runs. {@code start} creates the pod and waits up
 * to the start wait: a pod running by then is answered with its endpoint; a pod that cannot pull
 * its image or create its container is deleted and the start fails with the reason; a pod still
 * pending is answered without an endpoint, reported later as
 * {@link RuntimeEvent.Kind#ENDPOINT_ASSIGNED} when it runs, or as an exit (and deleted) when it
 * fails or is still Pending at the pending timeout. {@code stop} deletes the pod with the grace
 * period and returns once it is gone. {@code list} finds pods by label, so a restarted orchestrator
 * adopts them. {@code watch} reports container exits, OOM kills, evictions and pods deleted by others
 * as soon as the pod watch shows them; the watch resumes from the last resource version after a
 * break and lists again after 410 Gone. {@code stats} reads the metrics API when the cluster has one.
 *
 * <p>Thread-safe; {@link #close()} releases the client and the watch, never the pods.
 */
public final class KubernetesRuntime implements ContainerRuntime {
    /** Label on every pod this runtime creates; its watch and {@link #list} are limited to these. */
    public static final String MANAGED_LABEL = PodFactory.MANAGED_LABEL;

    private final PodRuntime pods;
    private final AtomicBoolean closed = new AtomicBoolean();

    KubernetesRuntime(KubernetesRuntimeConfig config, PodApi api) {
        this.pods = new PodRuntime(config, api);
    }

    /** A builder with the defaults: the usual cluster discovery, the configuration's namespace. */
    public static KubernetesRuntimeBuilder builder() {
        return new KubernetesRuntimeBuilder();
    }

    /** The namespace this runtime's pods live in. */
    public String namespace() {
        return pods.namespace();
    }

    /** Whether the API server answers a list of this runtime's pods right now. Never throws. */
    public boolean isAvailable() {
        return pods.isAvailable();
    }

    /**
     * Creates the pod and waits up to the start wait for it to run: the answer then carries the
     * pod's IP and port; a pod still pending is answered without an endpoint, which comes later as
     * an {@link RuntimeEvent.Kind#ENDPOINT_ASSIGNED} event. Throws
     * {@link io.longshore.api.ImageNotFoundException} when the image cannot be pulled within the
     * wait, and {@link ContainerRuntimeException} for every other failure (unreachable or refusing
     * API server, a container that cannot be created or exits at once, a pod still Pending when the
     * wait reaches the pending timeout), in each case after deleting the pod.
     */
    @Override
    public ContainerInfo start(ContainerSpec spec, Endpoint endpoint, Map<String, String> labels) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(labels, "labels");
        ensureOpen();
        if (spec.image().isEmpty()) {
            throw new ContainerRuntimeException("spec of service '" + spec.service() + "' has no image; the Kubernetes"
                    + " runtime runs images (the command is passed as the image's arguments)");
        }
        return pods.start(spec, endpoint, labels);
    }

    /**
     * Deletes the pod with the grace period (SIGTERM, then SIGKILL after it) and returns once the API
     * server no longer has it; past the grace period and a margin it deletes it with no grace. An
     * unknown or already deleted pod is not an error.
     */
    @Override
    public void stop(String containerId, Duration grace) {
        requireNonBlank(containerId, "containerId");
        Objects.requireNonNull(grace, "grace");
        ensureOpen();
        pods.stop(containerId, grace);
    }

    /** The pods carrying all of {@code labels} that this runtime manages, running or ended. */
    @Override
    public List<ContainerInfo> list(Map<String, String> labels) {
        Objects.requireNonNull(labels, "labels");
        ensureOpen();
        return pods.list(labels);
    }

    /** {@link EndpointMode#ASSIGNED}: a replica serves on its pod's IP, known once the pod runs. */
    @Override
    public EndpointMode endpointMode() {
        return EndpointMode.ASSIGNED;
    }

    /**
     * Subscribes to unrequested ends of this runtime's pods. Returns once the pod watch is
     * established or its first attempt failed (it then retries in the background). Events arrive on
     * a client thread.
     */
    @Override
    public AutoCloseable watch(Consumer<RuntimeEvent> listener) {
        Objects.requireNonNull(listener, "listener");
        ensureOpen();
        return pods.watch(listener);
    }

    /** One reading from the metrics API; empty when the cluster has none or the pod has no reading yet. */
    @Override
    public Optional<ResourceStats> stats(String containerId) {
        requireNonBlank(containerId, "containerId");
        return pods.stats(containerId);
    }

    @Override
    public String name() {
        return "kubernetes";
    }

    /** Closes the watch and the client; pods keep running. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        pods.close();
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("the Kubernetes runtime is closed");
        }
    }

    private static void requireNonBlank(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }

    @Override
    public String toString() {
        return "kubernetes(" + pods.server() + ", namespace " + pods.namespace() + ")";
    }
}
