package io.longshore.core;

import io.longshore.api.ContainerSpec;
import io.longshore.api.OrchestratorEvent;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.UnaryOperator;

/**
 * Runs one service as a set of replicas: starts them through a container runtime, probes
 * them, replaces unhealthy ones on the same port, scales their number with a policy, rolls out
 * new specs without losing capacity ({@link #update}), and publishes the routable ones to its
 * {@link Router}. Build one with {@link #builder()}.
 *
 * <p>Thread-safe: every method may be called from any thread. All state changes happen on
 * the orchestrator's control loop; the query methods return immutable snapshots.
 * {@link #start()} and {@link #close()} are idempotent.
 */
public interface Orchestrator extends AutoCloseable {

    static OrchestratorBuilder builder() {
        return new OrchestratorBuilder();
    }

    /** Adopts running replicas of the service, then starts the initial ones. Returns this. */
    Orchestrator start();

    /**
     * Stops the control loop and, unless configured otherwise, drains and stops every replica
     * it runs. Waits up to the configured shutdown timeout.
     */
    @Override
    void close();

    /** The service name. */
    String service();

    /** The data path. */
    Router router();

    /** Every replica, ordered by port. */
    List<ReplicaView> replicas();

    /** The state at a glance. */
    OrchestratorStatus status();

    /**
     * Sets the desired replica count (clamped to min/max) until the scaling policy next
     * decides otherwise. Returns the clamped count.
     */
    int scaleTo(int replicas);

    /** The most recent events, newest first, at most {@code limit} of them. */
    List<OrchestratorEvent> recentEvents(int limit);

    /**
     * Takes replica {@code replicaId} out of rotation, lets its requests in flight finish (up to
     * the drain timeout), stops it with the spec's stop grace and starts a new replica on its
     * port: the desired count stays. Completes, on the control loop, with {@code true} once the
     * replica has begun leaving (events tell when it has stopped), or {@code false} when no such
     * replica exists, it is already leaving, or the orchestrator is closing.
     */
    CompletionStage<Boolean> drain(String replicaId);

    /**
     * Stops replica {@code replicaId} at once, without draining and without stop grace (as a
     * replica that failed its probes), and starts a new replica on its port: the desired count
     * stays. Completes as {@link #drain} does.
     */
    CompletionStage<Boolean> replace(String replicaId);

    /**
     * Sets the weight of replica {@code replicaId} for weighted strategies (round robin, least
     * request, consistent hashing), in 1..{@value io.longshore.api.ContainerSpec#MAX_WEIGHT}, until
     * it leaves (a replacement starts with its spec's weight). Completes, on the control loop,
     * with {@code true} once the router has the new weight, or {@code false} when no such replica
     * exists or it is leaving.
     *
     * @throws IllegalArgumentException when {@code weight} is out of range
     */
    CompletionStage<Boolean> setWeight(String replicaId, int weight);

    /**
     * The desired spec: what new replicas run. The spec built with, until an {@link #update}
     * (or, after a rollback, the spec restored).
     */
    ContainerSpec spec();

    /**
     * Starts a rolling update to {@code spec} (see {@link RolloutConfig}): replicas of it start
     * beside the old ones, each must become available, then an old one is drained and stopped,
     * until only {@code spec} runs; it is rolled back on its progress deadline or a crash loop.
     * An update during a rollout supersedes it. Completes, on the control loop, with the new
     * rollout's status, or exceptionally with {@link RolloutException} when {@code spec} is the
     * desired spec already or the orchestrator is closing.
     *
     * @throws IllegalArgumentException when {@code spec} names another service
     */
    CompletionStage<RolloutStatus> update(ContainerSpec spec);

    /**
     * As {@link #update(ContainerSpec)} to {@code change} applied to the desired spec as it is when
     * the request takes effect on the control loop, so that changes asked for at once all apply
     * (reading {@link #spec()} and then updating could lose one of them: both would be merged into
     * the same spec, and the later rollout would supersede the earlier). {@code change} runs on the
     * loop and must be quick; one that throws {@link IllegalArgumentException} completes the answer
     * exceptionally with a {@link RolloutException} saying why. This default, for implementations
     * without a loop of their own, reads {@link #spec()}.
     */
    default CompletionStage<RolloutStatus> update(UnaryOperator<ContainerSpec> change) {
        Objects.requireNonNull(change, "change");
        ContainerSpec spec;
        try {
            spec = change.apply(spec());
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new RolloutException("the change does not make a valid spec: "
                    + e.getMessage()));
        }
        return update(spec);
    }

    /** The latest rollout's status; empty when there was none. */
    Optional<RolloutStatus> rollout();

    /**
     * Pauses the rollout in progress: no replica is replaced until {@link #resumeRollout()} (scaling
     * goes on, starting replicas of the new spec), and its progress deadline does not run. Completes
     * exceptionally with {@link RolloutException} when no rollout is in progress.
     */
    CompletionStage<RolloutStatus> pauseRollout();

    /** Resumes a paused rollout; completes exceptionally with {@link RolloutException} when none is paused. */
    CompletionStage<RolloutStatus> resumeRollout();

    /**
     * Rolls back the rollout in progress (or paused); after a complete one, starts a rollout back
     * to the spec it replaced. Completes exceptionally with {@link RolloutException} when there is
     * no rollout or the latest was rolled back already.
     */
    CompletionStage<RolloutStatus> undoRollout();
}
