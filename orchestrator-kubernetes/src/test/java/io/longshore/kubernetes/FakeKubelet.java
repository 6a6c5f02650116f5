package io.longshore.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays the kubelet (and the scheduler) against fabric8's mock API server: it watches the pods of
 * every namespace, and for each new pod starts a {@link PodWorkload} on 127.0.0.1 and the pod's
 * {@code PORT}, then marks the pod Running with IP 127.0.0.1. Like a real kubelet it holds a
 * finalizer on every pod it admitted, so a deleted pod is marked for deletion, its workload
 * stopped, and only then removed from the API server.
 *
 * <p>Tests make things go wrong: {@link #terminate} (a container exits with a code),
 * {@link #oomKill}, {@link #evict}; pods of an image passed to {@link #failPulls} wait with
 * {@code ErrImagePull}, pods of an image passed to {@link #leavePending} stay unschedulable.
 * Events are handled on one thread, in order. Thread-safe.
 */
public final class FakeKubelet implements AutoCloseable {
    /** The finalizer the fake kubelet holds on the pods it admitted. */
    public static final String FINALIZER = "longshore.io/fake-kubelet";
    /** The IP every pod gets. */
    public static final String POD_IP = "127.0.0.1";
    private static final Logger LOG = LoggerFactory.getLogger(FakeKubelet.class);

    private final KubernetesClient client;
    private final Map<String, String> namespaces = new ConcurrentHashMap<>();
    private final Map<String, PodWorkload> workloads = new ConcurrentHashMap<>();
    private final Set<String> admitted = ConcurrentHashMap.newKeySet();
    private final Set<String> failingImages = ConcurrentHashMap.newKeySet();
    private final Set<String> pendingImages = ConcurrentHashMap.newKeySet();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "fake-kubelet");
        thread.setDaemon(true);
        return thread;
    });
    private final Watch watch;

    public FakeKubelet(KubernetesClient client) {
        this.client = client;
        this.watch = client.pods().inAnyNamespace().watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                worker.execute(() -> handle(action, pod));
            }

            @Override
            public void onClose(WatcherException cause) {
                LOG.warn("fake kubelet's watch closed", cause);
            }
        });
    }

    /** Pods of {@code image} wait with {@code ErrImagePull} instead of running. */
    public FakeKubelet failPulls(String image) {
        failingImages.add(image);
        return this;
    }

    /** Pods of {@code image} stay Pending, unschedulable. */
    public FakeKubelet leavePending(String image) {
        pendingImages.add(image);
        return this;
    }

    /**
     * The pod's container exits with {@code exitCode} and {@code reason}; its workload stops. A pod
     * not admitted yet never will be.
     */
    public void terminate(String pod, int exitCode, String reason) {
        run(() -> {
            admitted.add(pod);
            stopWorkload(pod);
            update(pod, p -> withStatus(p, new PodStatusBuilder(p.getStatus())
                    .withPhase(exitCode == 0 ? "Succeeded" : "Failed")
                    .withContainerStatuses(containerStatus(p, terminated(exitCode, reason)))
                    .build()));
        });
    }

    /** A pod left pending (see {@link #leavePending}) is scheduled now: its workload starts and it runs. */
    public void schedule(String pod) {
        run(() -> {
            Pod current = client.pods().inNamespace(namespaceOf(pod)).withName(pod).get();
            PodStatus status = startWorkload(current);
            update(pod, p -> withStatus(p, status));
        });
    }

    /** A pod left pending (see {@link #leavePending}) fails to pull its image now. */
    public void failPull(String pod) {
        run(() -> update(pod, p -> withStatus(p, pending(p, new PodStatusBuilder().withContainerStatuses(
                containerStatus(p, new ContainerStateBuilder().withNewWaiting().withReason("ErrImagePull")
                        .withMessage("rpc error: manifest unknown").endWaiting().build()))))));
    }

    /** The pod's container is killed for exceeding its memory limit. */
    public void oomKill(String pod) {
        terminate(pod, 137, "OOMKilled");
    }

    /** The kubelet evicts the pod for node pressure. */
    public void evict(String pod) {
        run(() -> {
            admitted.add(pod);
            stopWorkload(pod);
            update(pod, p -> withStatus(p, new PodStatusBuilder(p.getStatus())
                    .withPhase("Failed").withReason("Evicted")
                    .withMessage("The node was low on resource: memory.")
                    .withContainerStatuses(containerStatus(p, terminated(137, "Error")))
                    .build()));
        });
    }

    /** Whether the pod's workload serves. */
    public boolean isServing(String pod) {
        return workloads.containsKey(pod);
    }

    /** The pods whose workloads serve. */
    public Set<String> serving() {
        return Set.copyOf(workloads.keySet());
    }

    private void handle(Watcher.Action action, Pod pod) {
        String name = pod.getMetadata().getName();
        namespaces.put(name, pod.getMetadata().getNamespace());
        if (action == Watcher.Action.DELETED) {
            stopWorkload(name);
            admitted.remove(name);
        } else if (pod.getMetadata().getDeletionTimestamp() != null) {
            stopWorkload(name);
            update(name, p -> new PodBuilder(p).editMetadata().removeFromFinalizers(FINALIZER).endMetadata().build());
        } else if (admitted.add(name)) {
            admit(pod);
        }
    }

    private void admit(Pod pod) {
        String name = pod.getMetadata().getName();
        String image = pod.getSpec().getContainers().get(0).getImage();
        PodStatus status;
        if (failingImages.contains(image)) {
            status = pending(pod, new PodStatusBuilder().withContainerStatuses(containerStatus(pod,
                    new ContainerStateBuilder().withNewWaiting().withReason("ErrImagePull")
                            .withMessage("rpc error: pull access denied for " + image).endWaiting().build())));
        } else if (pendingImages.contains(image)) {
            status = pending(pod, new PodStatusBuilder().withConditions(new PodConditionBuilder()
                    .withType("PodScheduled").withStatus("False").withReason("Unschedulable")
                    .withMessage("0/1 nodes are available: 1 Insufficient cpu.").build()));
        } else {
            status = startWorkload(pod);
        }
        update(name, p -> withStatus(new PodBuilder(p).editMetadata().addToFinalizers(FINALIZER).endMetadata().build(),
                status));
    }

    private PodStatus startWorkload(Pod pod) {
        String name = pod.getMetadata().getName();
        int port = Integer.parseInt(env(pod, "PORT"));
        try {
            workloads.put(name, PodWorkload.start(name, port));
        } catch (IOException e) {
            return new PodStatusBuilder().withPhase("Failed").withPodIP(POD_IP)
                    .withContainerStatuses(containerStatus(pod, terminated(1, "Error: " + e.getMessage()))).build();
        }
        return new PodStatusBuilder().withPhase("Running").withPodIP(POD_IP).withStartTime(Instant.now().toString())
                .withContainerStatuses(containerStatus(pod, new ContainerStateBuilder().withNewRunning()
                        .withStartedAt(Instant.now().toString()).endRunning().build()))
                .build();
    }

    private static PodStatus pending(Pod pod, PodStatusBuilder status) {
        return status.withPhase("Pending").build();
    }

    private static ContainerStatus containerStatus(Pod pod, io.fabric8.kubernetes.api.model.ContainerState state) {
        var container = pod.getSpec().getContainers().get(0);
        return new ContainerStatusBuilder().withName(container.getName()).withImage(container.getImage())
                .withState(state).withReady(state.getRunning() != null).withRestartCount(0).build();
    }

    private static io.fabric8.kubernetes.api.model.ContainerState terminated(int exitCode, String reason) {
        return new ContainerStateBuilder().withNewTerminated().withExitCode(exitCode).withReason(reason)
                .withFinishedAt(Instant.now().toString()).endTerminated().build();
    }

    private static Pod withStatus(Pod pod, PodStatus status) {
        return new PodBuilder(pod).withStatus(status).build();
    }

    private static String env(Pod pod, String name) {
        List<EnvVar> env = pod.getSpec().getContainers().get(0).getEnv();
        return (env == null ? new ArrayList<EnvVar>() : env).stream().filter(e -> name.equals(e.getName()))
                .map(EnvVar::getValue).findFirst()
                .orElseThrow(() -> new IllegalStateException("pod " + pod.getMetadata().getName() + " has no " + name));
    }

    private void update(String pod, UnaryOperator<Pod> change) {
        try {
            client.pods().inNamespace(namespaceOf(pod)).withName(pod).edit(change);
        } catch (KubernetesClientException e) {
            LOG.debug("fake kubelet: pod {} not updated ({})", pod, e.getMessage());
        }
    }

    /** The pod's namespace, from its events or, for a pod whose events are still on their way, the API server. */
    private String namespaceOf(String pod) {
        return namespaces.computeIfAbsent(pod, name -> client.pods().inAnyNamespace().list().getItems().stream()
                .filter(p -> p.getMetadata().getName().equals(name)).findFirst()
                .map(p -> p.getMetadata().getNamespace())
                .orElseThrow(() -> new IllegalStateException("no pod " + name + " in any namespace")));
    }

    private void stopWorkload(String pod) {
        PodWorkload workload = workloads.remove(pod);
        if (workload != null) {
            workload.close();
        }
    }

    /** Runs {@code task} on the kubelet's thread, after the events before it, and waits for it. */
    private void run(Runnable task) {
        try {
            worker.submit(task).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("fake kubelet task failed", e);
        }
    }

    @Override
    public void close() {
        watch.close();
        worker.shutdownNow();
        workloads.keySet().forEach(this::stopWorkload);
    }
}
