package io.longshore.kubernetes;

import io.fabric8.kubernetes.api.model.Pod;
import io.longshore.api.ContainerInfo;
import io.longshore.api.ContainerRuntimeException;
import io.longshore.api.ImageNotFoundException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One start: creates the pod, waits until the pod watch shows it running with an IP (or failing,
 * or still pending at the deadline), and returns where it serves; a pod that will not run is
 * deleted and the start fails with the reason. Used once per start; not thread-safe.
 */
final class PodLauncher {
    private static final Logger LOG = LoggerFactory.getLogger(PodLauncher.class);

    private final PodApi api;
    private final PodTracker tracker;
    private final Launches launches;
    private final RecentNames requestedStops;
    private final RuntimeEvents events;
    private final KubernetesRuntimeConfig config;

    PodLauncher(PodApi api, PodTracker tracker, Launches launches, RecentNames requestedStops, RuntimeEvents events,
                KubernetesRuntimeConfig config) {
        this.api = api;
        this.tracker = tracker;
        this.launches = launches;
        this.requestedStops = requestedStops;
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
            launches.end(name);
            throw new ContainerRuntimeException(ApiErrors.describe(e, api, "create pod " + name), e);
        }
        PodStates.Launch outcome = await(name, launch);
        if (outcome instanceof PodStates.Launch.Running running) {
            Pod latest = tracker.known(name).orElse(created);
            return new ContainerInfo(name, running.endpoint(), PodStates.labels(latest), true,
                    PodStates.startedAt(latest, config.clock().instant()));
        }
        throw failure(name, PodStates.image(created), outcome);
    }

    private PodStates.Launch await(String name, CompletableFuture<PodStates.Launch> launch) {
        try {
            return launch.get(config.pendingTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            requestedStops.add(name);
            return new PodStates.Launch.Waiting(tracker.known(name).map(PodStates::pendingReason)
                    .orElse("the pod watch never showed it"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            requestedStops.add(name);
            deleteQuietly(name);
            throw new ContainerRuntimeException(name, "interrupted while waiting for pod " + name + " to run; deleted it",
                    e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a launch never fails exceptionally", e);
        } finally {
            launches.end(name);
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

    private void deleteQuietly(String name) {
        try {
            api.delete(name, 0);
        } catch (RuntimeException e) {
            LOG.warn("could not delete pod {} after its failed start: {}", name, ApiErrors.rootMessage(e));
        }
    }
}
