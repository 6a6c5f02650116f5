package io.longshore.kubernetes;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What a {@link KubernetesRuntime} saw of the cluster that a replica's start, stop or exit does
 * not say by itself: the API server going away and coming back, a pod that stays Pending, an
 * image that cannot be pulled, an eviction. Delivered to the listener given to
 * {@link KubernetesRuntimeBuilder#listener}; each event is an immutable record.
 */
public sealed interface KubernetesRuntimeEvent {

    /** When the runtime saw it. */
    Instant at();

    /**
     * The API server did not answer (or refused) a list or watch; the runtime keeps the replicas it
     * knows, reports no exit it cannot see, and tries again in {@code retryIn}. Sent once per outage.
     *
     * @param apiServer the API server's URL
     * @param error     what failed
     * @param retryIn   when the next attempt is due
     */
    record ApiServerUnreachable(Instant at, String apiServer, String error, Duration retryIn)
            implements KubernetesRuntimeEvent {
        public ApiServerUnreachable {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(apiServer, "apiServer");
            Objects.requireNonNull(error, "error");
            Objects.requireNonNull(retryIn, "retryIn");
        }
    }

    /**
     * The pod watch is established again after an outage; exits that happened meanwhile have been
     * reported from the relisted state.
     *
     * @param apiServer   the API server's URL
     * @param unreachable how long it was unreachable
     */
    record ApiServerReachable(Instant at, String apiServer, Duration unreachable) implements KubernetesRuntimeEvent {
        public ApiServerReachable {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(apiServer, "apiServer");
            Objects.requireNonNull(unreachable, "unreachable");
        }
    }

    /**
     * A pod was still Pending at its deadline (not scheduled, or its container not started); it is
     * deleted and its start fails, so the orchestrator starts a replacement after its backoff.
     *
     * @param pod     the pod's name
     * @param pending how long it was pending
     * @param reason  what the pod's conditions and container state said, e.g.
     *                {@code Unschedulable: 0/3 nodes are available: 3 Insufficient cpu}
     */
    record PodPendingTooLong(Instant at, String pod, Duration pending, String reason) implements KubernetesRuntimeEvent {
        public PodPendingTooLong {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(pod, "pod");
            Objects.requireNonNull(pending, "pending");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * A pod's image could not be pulled or its container not created ({@code ErrImagePull},
     * {@code ImagePullBackOff}, {@code InvalidImageName}, {@code CreateContainerConfigError}, ...);
     * the pod is deleted and its start fails with this reason.
     *
     * @param pod    the pod's name
     * @param image  the image
     * @param reason the container's waiting reason and message
     */
    record PodStartFailed(Instant at, String pod, String image, String reason) implements KubernetesRuntimeEvent {
        public PodStartFailed {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(pod, "pod");
            Objects.requireNonNull(image, "image");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * A running pod was evicted (node pressure) or deleted by someone else (an eviction through the
     * API, {@code kubectl delete}, a node drain); it is reported to watchers as an exit at once.
     *
     * @param pod    the pod's name
     * @param reason the pod's reason and message, e.g. {@code Evicted: The node was low on resource: memory}
     */
    record PodEvicted(Instant at, String pod, String reason) implements KubernetesRuntimeEvent {
        public PodEvicted {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(pod, "pod");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
