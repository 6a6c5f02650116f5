package io.longshore.kubernetes.internal;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pods being started: for each, a future completed with its {@link PodStates.Launch} once it
 * runs (with its address) or cannot run, or with {@link PodStates.Launch.Waiting} when its
 * deadline passes first. Exactly one outcome completes a launch; a pod whose start fails or times
 * out is added to the runtime's requested stops at once, since the runtime deletes it: its end is
 * reported by the start, never as an unrequested exit. Thread-safe.
 */
final class Launches implements PodListener {
    private final Map<String, CompletableFuture<PodStates.Launch>> pending = new ConcurrentHashMap<>();
    private final RecentNames requestedStops;

    Launches(RecentNames requestedStops) {
        this.requestedStops = requestedStops;
    }

    /** Registers a start before the pod is created, so no update can be missed. */
    CompletableFuture<PodStates.Launch> begin(String name) {
        CompletableFuture<PodStates.Launch> launch = new CompletableFuture<>();
        pending.put(name, launch);
        return launch;
    }

    /** Forgets a start without an outcome (its creation failed, or the pod is being stopped). */
    void abandon(String name) {
        pending.remove(name);
    }

    /**
     * Forgets a start whose pod the runtime deletes because its creation failed but may have
     * happened: the pod's end, if it existed, is the start's failure, never an unrequested exit.
     */
    void abandonForDeletion(String name) {
        requestedStops.add(name);
        pending.remove(name);
    }

    /** Whether {@code name} is being started: its state is the start's business, not an exit. */
    boolean launching(String name) {
        return pending.containsKey(name);
    }

    /**
     * Ends {@code launch} as still waiting at its deadline, unless it has already ended or was
     * abandoned; returns whether this call ended it.
     */
    boolean expire(String name, CompletableFuture<PodStates.Launch> launch, PodStates.Launch.Waiting outcome) {
        if (!pending.remove(name, launch)) {
            return false;
        }
        requestedStops.add(name);
        launch.complete(outcome);
        return true;
    }

    @Override
    public void changed(Pod pod, boolean history) {
        String name = PodStates.name(pod);
        CompletableFuture<PodStates.Launch> launch = pending.get(name);
        if (launch == null) {
            return;
        }
        PodStates.Launch state = PodStates.launch(pod);
        if (!(state instanceof PodStates.Launch.Waiting)) {
            settle(name, launch, state);
        }
    }

    @Override
    public void gone(String name, Pod last) {
        CompletableFuture<PodStates.Launch> launch = pending.get(name);
        if (launch != null) {
            settle(name, launch, new PodStates.Launch.Failed("the pod was deleted before it ran", false));
        }
    }

    private void settle(String name, CompletableFuture<PodStates.Launch> launch, PodStates.Launch state) {
        if (!pending.remove(name, launch)) {
            return;
        }
        if (state instanceof PodStates.Launch.Failed) {
            requestedStops.add(name);
        }
        launch.complete(state);
    }
}
