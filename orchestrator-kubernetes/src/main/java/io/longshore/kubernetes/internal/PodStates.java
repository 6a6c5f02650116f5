package io.longshore.kubernetes.internal;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.longshore.api.Endpoint;
import io.longshore.api.RuntimeEvent;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads what a pod's status means for its replica: whether it runs and where, whether its start
 * failed or is still pending and why, whether and how it ended. The replica's container is the
 * pod's first container (the runtime puts it first; overlay containers come after it). Stateless.
 */
final class PodStates {
    /** Waiting reasons that end a start at once: the kubelet would only retry them in a loop. */
    static final Set<String> START_FAILURES = Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName",
            "ErrImageNeverPull", "CreateContainerConfigError", "CreateContainerError", "RunContainerError");
    /** The subset of {@link #START_FAILURES} that says the image cannot be had. */
    static final Set<String> IMAGE_FAILURES = Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName",
            "ErrImageNeverPull");

    /** Where a starting pod stands. */
    sealed interface Launch {
        /** Its container runs and the pod has an address. */
        record Running(Endpoint endpoint) implements Launch {
        }

        /** It will not run: the reason, and whether the image is to blame. */
        record Failed(String reason, boolean image) implements Launch {
        }

        /** Not yet: what it waits for. */
        record Waiting(String reason) implements Launch {
        }
    }

    /** How a pod's replica ended: the runtime event to report, and the reason for logs and events. */
    record Exit(RuntimeEvent.Kind kind, int exitCode, String reason, boolean evicted) {
    }

    private PodStates() {
    }

    static String name(Pod pod) {
        return pod.getMetadata().getName();
    }

    /** The pod's labels, plus the orchestrator's labels that travelled as annotations ({@code io.longshore.*}). */
    static Map<String, String> labels(Pod pod) {
        Map<String, String> labels = pod.getMetadata().getLabels();
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        if (annotations == null || annotations.keySet().stream().noneMatch(k -> k.startsWith(LONGSHORE_PREFIX))) {
            return labels == null ? Map.of() : labels;
        }
        Map<String, String> all = new java.util.LinkedHashMap<>();
        annotations.forEach((key, value) -> {
            if (key.startsWith(LONGSHORE_PREFIX)) {
                all.put(key, value);
            }
        });
        if (labels != null) {
            all.putAll(labels);
        }
        return all;
    }

    private static final String LONGSHORE_PREFIX = "io.longshore.";

    static boolean deleting(Pod pod) {
        return pod.getMetadata().getDeletionTimestamp() != null;
    }

    /**
     * Whether the replica is alive, as {@code list} reports it: starting or running, not ended — no
     * deletion under way, the pod neither failed nor succeeded, its container not terminated.
     */
    static boolean running(Pod pod) {
        String phase = phase(pod);
        return !deleting(pod) && !"Failed".equals(phase) && !"Succeeded".equals(phase)
                && replicaStatus(pod).map(s -> s.getState() == null || s.getState().getTerminated() == null)
                        .orElse(true);
    }

    /** Whether the replica's container runs in a pod that has an address. */
    private static boolean serving(Pod pod) {
        return !deleting(pod) && "Running".equals(phase(pod))
                && replicaStatus(pod).map(s -> s.getState() != null && s.getState().getRunning() != null).orElse(false);
    }

    static Launch launch(Pod pod) {
        if (deleting(pod)) {
            return new Launch.Failed("the pod was deleted before it ran", false);
        }
        Optional<ContainerStatus> status = replicaStatus(pod);
        ContainerStateTerminated terminated = status.map(s -> s.getState() == null ? null : s.getState().getTerminated())
                .orElse(null);
        if (terminated != null) {
            return new Launch.Failed("its container exited with code " + terminated.getExitCode()
                    + describe(terminated.getReason(), terminated.getMessage(), " (", ")") + " as it started", false);
        }
        ContainerStateWaiting waiting = waiting(status);
        if (waiting != null && START_FAILURES.contains(waiting.getReason())) {
            return new Launch.Failed(waiting.getReason() + describe(null, waiting.getMessage(), ": ", ""),
                    IMAGE_FAILURES.contains(waiting.getReason()));
        }
        String phase = phase(pod);
        if ("Failed".equals(phase) || "Succeeded".equals(phase)) {
            return new Launch.Failed("the pod " + phase.toLowerCase(Locale.ROOT) + describe(pod.getStatus().getReason(),
                    pod.getStatus().getMessage(), ": ", ""), false);
        }
        String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
        if (serving(pod) && ip != null && !ip.isBlank()) {
            return new Launch.Running(new Endpoint(ip, port(pod)));
        }
        return new Launch.Waiting(pendingReason(pod));
    }

    /** Why a pod is not running yet: unschedulable, its container's waiting reason, or its phase. */
    static String pendingReason(Pod pod) {
        PodStatus status = pod.getStatus();
        if (status == null) {
            return "not scheduled yet";
        }
        for (PodCondition condition : nonNull(status.getConditions())) {
            if ("PodScheduled".equals(condition.getType()) && "False".equals(condition.getStatus())) {
                String why = describe(condition.getReason(), condition.getMessage(), "", "");
                return why.isEmpty() ? "Unschedulable" : why;
            }
        }
        ContainerStateWaiting waiting = waiting(replicaStatus(pod));
        if (waiting != null && waiting.getReason() != null) {
            return waiting.getReason() + describe(null, waiting.getMessage(), ": ", "");
        }
        return status.getPhase() == null ? "Pending" : status.getPhase();
    }

    /** How the replica ended, or empty while it has not. */
    static Optional<Exit> exit(Pod pod) {
        PodStatus status = pod.getStatus();
        Optional<ContainerStatus> replica = replicaStatus(pod);
        ContainerStateTerminated terminated = replica.map(s -> s.getState() == null ? null : s.getState().getTerminated())
                .orElse(null);
        if (status != null && "Failed".equals(status.getPhase()) && "Evicted".equals(status.getReason())) {
            int code = terminated == null ? -1 : terminated.getExitCode();
            return Optional.of(new Exit(RuntimeEvent.Kind.EXITED, code,
                    "Evicted" + describe(null, status.getMessage(), ": ", ""), true));
        }
        if (terminated != null) {
            boolean oom = "OOMKilled".equals(terminated.getReason());
            int code = terminated.getExitCode() == null ? -1 : terminated.getExitCode();
            return Optional.of(new Exit(oom ? RuntimeEvent.Kind.OOM_KILLED : RuntimeEvent.Kind.EXITED, code,
                    (oom ? "killed for memory" : "exited with code " + code)
                            + describe(oom ? null : terminated.getReason(), terminated.getMessage(), " (", ")"), false));
        }
        String phase = status == null ? null : status.getPhase();
        if ("Failed".equals(phase) || "Succeeded".equals(phase)) {
            return Optional.of(new Exit(RuntimeEvent.Kind.EXITED, "Succeeded".equals(phase) ? 0 : -1,
                    "the pod " + phase.toLowerCase(Locale.ROOT) + describe(status.getReason(), status.getMessage(), ": ", ""),
                    false));
        }
        if (deleting(pod)) {
            return Optional.of(new Exit(RuntimeEvent.Kind.EXITED, -1,
                    "deleted through the API (an eviction, a drain or kubectl delete)", true));
        }
        return Optional.empty();
    }

    /** Where the replica serves: the pod's IP and the container port, once the pod has an IP. */
    static Optional<Endpoint> endpoint(Pod pod) {
        String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
        return ip == null || ip.isBlank() ? Optional.empty() : Optional.of(new Endpoint(ip, port(pod)));
    }

    /** The replica container's port named {@value PodFactory#PORT_NAME}, else its first port, else 80. */
    static int port(Pod pod) {
        List<Container> containers = pod.getSpec() == null ? List.of() : nonNull(pod.getSpec().getContainers());
        List<ContainerPort> ports = containers.isEmpty() ? List.of() : nonNull(containers.get(0).getPorts());
        return ports.stream().filter(p -> PodFactory.PORT_NAME.equals(p.getName())).findFirst()
                .or(() -> ports.stream().findFirst())
                .map(ContainerPort::getContainerPort).orElse(80);
    }

    /** When the pod started (its status's start time), else when it was created, else {@code fallback}. */
    static Instant startedAt(Pod pod, Instant fallback) {
        String start = pod.getStatus() == null ? null : pod.getStatus().getStartTime();
        for (String time : new String[] {start, pod.getMetadata().getCreationTimestamp()}) {
            if (time != null) {
                try {
                    return Instant.parse(time);
                } catch (DateTimeParseException e) {
                    // try the next
                }
            }
        }
        return fallback;
    }

    /** The replica container's image, for messages. */
    static String image(Pod pod) {
        List<Container> containers = pod.getSpec() == null ? List.of() : nonNull(pod.getSpec().getContainers());
        return containers.isEmpty() ? "" : String.valueOf(containers.get(0).getImage());
    }

    private static Optional<ContainerStatus> replicaStatus(Pod pod) {
        if (pod.getStatus() == null || pod.getSpec() == null || nonNull(pod.getSpec().getContainers()).isEmpty()) {
            return Optional.empty();
        }
        String container = pod.getSpec().getContainers().get(0).getName();
        return nonNull(pod.getStatus().getContainerStatuses()).stream()
                .filter(s -> container.equals(s.getName())).findFirst();
    }

    private static ContainerStateWaiting waiting(Optional<ContainerStatus> status) {
        return status.map(s -> s.getState() == null ? null : s.getState().getWaiting()).orElse(null);
    }

    private static String phase(Pod pod) {
        return pod.getStatus() == null ? null : pod.getStatus().getPhase();
    }

    private static String describe(String reason, String message, String before, String after) {
        boolean hasReason = reason != null && !reason.isBlank();
        boolean hasMessage = message != null && !message.isBlank();
        if (!hasReason && !hasMessage) {
            return "";
        }
        String text = hasReason && hasMessage ? reason + ": " + message.strip() : hasReason ? reason : message.strip();
        return before + text + after;
    }

    private static <T> List<T> nonNull(List<T> list) {
        return list == null ? List.of() : list;
    }
}
