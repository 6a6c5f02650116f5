package io.longshore.kubernetes.internal;

import io.fabric8.kubernetes.api.model.Pod;
import io.longshore.api.RuntimeEvent;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the starts that returned before their pod ran: reports the pod's endpoint to the
 * watchers once it runs; or reports it as an exit, so the orchestrator replaces it after its
 * restart backoff, when its container ended as it started (the pod stays, listed as not running,
 * until stopped), when it cannot run (an image that cannot be pulled, a container that cannot be
 * created: it is deleted, or the kubelet would keep retrying), or when it is still Pending at its
 * deadline (deleted too, so it cannot start late). Thread-safe.
 */
final class LaunchFollower {
    private static final Logger LOG = LoggerFactory.getLogger(LaunchFollower.class);

    private final PodApi api;
    private final Launches launches;
    private final ExitReporter exits;
    private final RuntimeEvents events;
    private final Function<String, Optional<Pod>> known;
    private final ScheduledExecutorService background;
    private final Duration pendingTimeout;

    LaunchFollower(PodApi api, Launches launches, ExitReporter exits, RuntimeEvents events,
                   Function<String, Optional<Pod>> known, ScheduledExecutorService background, Duration pendingTimeout) {
        this.api = api;
        this.launches = launches;
        this.exits = exits;
        this.events = events;
        this.known = known;
        this.background = background;
        this.pendingTimeout = pendingTimeout;
    }

    /** Follows {@code launch} of pod {@code name} until it settles, or until {@code left} has passed. */
    void follow(String name, String image, CompletableFuture<PodStates.Launch> launch, Duration left) {
        ScheduledFuture<?> deadline;
        try {
            deadline = background.schedule(() -> expire(name, launch), left.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            return;
        }
        launch.whenComplete((outcome, error) -> {
            deadline.cancel(false);
            settled(name, image, outcome);
        });
    }

    private void expire(String name, CompletableFuture<PodStates.Launch> launch) {
        String reason = known.apply(name).map(PodStates::pendingReason).orElse("the pod watch never showed it");
        launches.expire(name, launch, new PodStates.Launch.Waiting(reason));
    }

    private void settled(String name, String image, PodStates.Launch outcome) {
        if (outcome instanceof PodStates.Launch.Running running) {
            exits.endpointAssigned(name, running.endpoint());
            return;
        }
        String reason;
        if (outcome instanceof PodStates.Launch.Failed failed) {
            reason = failed.reason();
            LOG.warn("pod {} did not start: {}; deleting it", name, reason);
            events.podStartFailed(name, image, reason);
        } else {
            reason = "still pending after " + pendingTimeout + " (" + ((PodStates.Launch.Waiting) outcome).reason() + ")";
            LOG.warn("pod {} {}; deleting it", name, reason);
            events.podPendingTooLong(name, pendingTimeout, ((PodStates.Launch.Waiting) outcome).reason());
        }
        Optional<PodStates.Exit> ended = known.apply(name).flatMap(PodStates::exit);
        exits.launchFailed(name, ended.map(e -> new PodStates.Exit(e.kind(), e.exitCode(), reason, false))
                .orElse(new PodStates.Exit(RuntimeEvent.Kind.EXITED, -1, reason, false)));
        if (ended.isEmpty()) {
            deleteInBackground(name);
        }
    }

    private void deleteInBackground(String name) {
        try {
            background.execute(() -> {
                try {
                    api.delete(name, 0);
                } catch (RuntimeException e) {
                    LOG.warn("could not delete pod {} after its failed start: {}", name, ApiErrors.rootMessage(e));
                }
            });
        } catch (RejectedExecutionException closed) {
            LOG.debug("pod {} not deleted: the runtime is closed", name);
        }
    }
}
