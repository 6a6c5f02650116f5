package io.longshore.kubernetes.internal;

import io.fabric8.kubernetes.api.model.Pod;
import io.longshore.api.ContainerInfo;
import io.longshore.api.ContainerRuntimeException;
import io.longshore.api.ImageNotFoundException;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One start: creates the pod and waits up to the start wait for the pod watch to show it running
 * with an IP (the answer then carries its endpoint) or failing (the pod is deleted and the start
 * fails with the reason). A pod still pending then is handed to the {@link LaunchFollower} and the
 * start returns without an endpoint; when the start wait reaches the pending timeout, a pod still
 * pending is deleted and the start fails. Used once per start; not thread-safe.
 */
final class PodLauncher {
    private static final Logger LOG = LoggerFactory.getLogger(PodLauncher.class);

    private final PodApi api;
    private final PodTracker tracker;
    private final Launches launches;
    private final LaunchFollower follower;
    private final RuntimeEvents events;
    private final KubernetesRuntimeConfig config;

    PodLauncher(PodApi api, PodTracker tracker, Launches launches, LaunchFollower follower, RuntimeEvents events,
                KubernetesRuntimeConfig config) {
        this.api = api;
        this.tracker = tracker;
        this.launches = launches;
        this.follower = follower;
        this.events = events;
        this.config = config;
    }

    ContainerInfo launch(Pod pod) {
        String name = PodStates.name(pod);
        CompletableFuture<PodStates.Launch> launch = launches.begin(name);
        Pod created;
        try {
            created = api.create(pod);
        } catch (RuntimeException e) {
            created = afterFailedCreate(pod, e);
        }
        Duration wait = config.startWait().compareTo(config.pendingTimeout()) < 0 ? config.startWait()
                : config.pendingTimeout();
        PodStates.Launch outcome = await(name, launch, wait);
        Pod latest = tracker.known(name).orElse(created);
        if (outcome instanceof PodStates.Launch.Running running) {
            return new ContainerInfo(name, running.endpoint(), PodStates.labels(latest), true, startedAt(latest));
        }
        if (outcome instanceof PodStates.Launch.Waiting && wait.compareTo(config.pendingTimeout()) < 0) {
            follower.follow(name, PodStates.image(created), launch, config.pendingTimeout().minus(wait));
            return ContainerInfo.withoutEndpoint(name, PodStates.labels(latest), true, startedAt(latest));
        }
        throw failure(name, PodStates.image(created), outcome);
    }

    /**
     * A create that failed may still have created the pod: the server stored it and its answer was
     * lost, or the client retried a create that had got through (409). A 409 for a pod carrying all
     * of this pod's labels is this create: the launch goes on with it. Any other failure that is not
     * a refusal (4xx) deletes the pod by its name, known before the call, so nobody's pod is left
     * running; the exception carries the name, so the caller can stop it if the delete failed too.
     */
    private Pod afterFailedCreate(Pod pod, RuntimeException error) {
        String name = PodStates.name(pod);
        String description = ApiErrors.describe(error, api, "create pod " + name);
        if (ApiErrors.code(error) == HttpURLConnection.HTTP_CONFLICT) {
            Optional<Pod> existing = getQuietly(name);
            if (existing.isPresent() && ours(existing.get(), pod)) {
                LOG.info("pod {} already existed when created (a retried create had got through); running it", name);
                return existing.get();
            }
            launches.abandon(name);
            if (existing.isPresent()) {
                throw new ContainerRuntimeException(description + "; a pod of that name with other labels exists", error);
            }
            throw new ContainerRuntimeException(name, description + "; could not read the pod of that name", error);
        }
        if (ApiErrors.refused(error)) {
            launches.abandon(name);
            throw new ContainerRuntimeException(name, description, error);
        }
        launches.abandonForDeletion(name);
        String cleanup = deleteQuietly(name) ? "; deleted the pod in case the server had created it"
                : "; the pod may exist and could not be deleted";
        throw new ContainerRuntimeException(name, description + cleanup, error);
    }

    private static boolean ours(Pod existing, Pod pod) {
        Map<String, String> labels = existing.getMetadata().getLabels();
        return labels != null && labels.entrySet().containsAll(pod.getMetadata().getLabels().entrySet());
    }

    private Optional<Pod> getQuietly(String name) {
        try {
            return api.get(name);
        } catch (RuntimeException e) {
            LOG.warn("cannot read pod {} after a 409 on its create: {}", name, ApiErrors.rootMessage(e));
            return Optional.empty();
        }
    }

    private java.time.Instant startedAt(Pod pod) {
        return PodStates.startedAt(pod, config.clock().instant());
    }

    /** The launch's outcome, or {@link PodStates.Launch.Waiting} if it has none after {@code wait}. */
    private PodStates.Launch await(String name, CompletableFuture<PodStates.Launch> launch, Duration wait) {
        try {
            return launch.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            PodStates.Launch.Waiting waiting = new PodStates.Launch.Waiting(tracker.known(name)
                    .map(PodStates::pendingReason).orElse("the pod watch never showed it"));
            if (wait.compareTo(config.pendingTimeout()) < 0 || launches.expire(name, launch, waiting)) {
                return waiting;
            }
            return launch.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            launches.expire(name, launch, new PodStates.Launch.Waiting("interrupted"));
            deleteQuietly(name);
            throw new ContainerRuntimeException(name, "interrupted while waiting for pod " + name + " to run; deleted it",
                    e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a launch never fails exceptionally", e);
        }
    }

    private ContainerRuntimeException failure(String name, String image, PodStates.Launch outcome) {
        deleteQuietly(name);
        if (outcome instanceof PodStates.Launch.Failed failed) {
            LOG.warn("pod {} did not start: {}; deleted it", name, failed.reason());
            events.podStartFailed(name, image, failed.reason());
            if (failed.image()) {
                return new ImageNotFoundException(image, "pod " + name + " did not start: image '" + image
                        + "' cannot be pulled (" + failed.reason() + "); deleted the pod", null);
            }
            return new ContainerRuntimeException(name, "pod " + name + " did not start: " + failed.reason()
                    + "; deleted the pod", null);
        }
        String reason = ((PodStates.Launch.Waiting) outcome).reason();
        Duration pending = config.pendingTimeout();
        LOG.warn("pod {} still pending after {} ({}); deleted it", name, pending, reason);
        events.podPendingTooLong(name, pending, reason);
        return new ContainerRuntimeException(name, "pod " + name + " still pending after " + pending + " (" + reason
                + "); deleted the pod", null);
    }

    /** Whether the pod is gone now. */
    private boolean deleteQuietly(String name) {
        try {
            api.delete(name, 0);
            return true;
        } catch (RuntimeException e) {
            LOG.warn("could not delete pod {} after its failed start: {}", name, ApiErrors.rootMessage(e));
            return false;
        }
    }
}
