package io.longshore.core;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The requests other threads make of the control loop about its replicas and rollouts: each runs
 * as a loop task and completes its answer there; once the loop is closing (or its scheduler is
 * shut down) a request gets its closing answer instead, except a weight, which is set until the
 * loop is gone. Thread-safe.
 */
final class LoopRequests {
    private final ControlPort port;
    private final ReplicaTable table;
    private final ReplicaLifecycle lifecycle;
    private final Rollouts rollouts;
    private final Runnable reconcile;
    private final BooleanSupplier closing;

    /**
     * @param reconcile runs on the loop after each rollout request
     * @param closing   whether the loop is closing, read on the loop
     */
    LoopRequests(ControlPort port, ReplicaTable table, ReplicaLifecycle lifecycle, Rollouts rollouts,
                 Runnable reconcile, BooleanSupplier closing) {
        this.port = port;
        this.table = table;
        this.lifecycle = lifecycle;
        this.rollouts = rollouts;
        this.reconcile = reconcile;
        this.closing = closing;
    }

    /**
     * Makes replica {@code replicaId} leave as {@code departure} says; completes with whether it
     * did (false when there is no such replica, it is leaving already, or the loop is closing).
     */
    CompletionStage<Boolean> leave(String replicaId, Departure departure) {
        return onLoop(() -> {
            Replica replica = table.byId(replicaId);
            return replica != null && lifecycle.leave(replica, departure);
        }, () -> false);
    }

    /**
     * Runs a rollout request on the loop, then reconciles; completes with its answer, or
     * exceptionally with the {@link RolloutException} it threw (the request does not fit the
     * rollout's state, or the orchestrator is closing).
     */
    CompletionStage<RolloutStatus> rollout(Function<Rollouts, RolloutStatus> request) {
        return onLoop(() -> {
            RolloutStatus answer = request.apply(rollouts);
            reconcile.run();
            return answer;
        }, () -> {
            throw new RolloutException("the orchestrator is closing");
        });
    }

    /**
     * Sets replica {@code replicaId}'s weight and publishes the routing; completes with whether it
     * did (false when there is no such replica, it is leaving, or the loop is gone).
     */
    CompletionStage<Boolean> setWeight(String replicaId, int weight) {
        CompletableFuture<Boolean> answer = new CompletableFuture<>();
        boolean posted = port.submit(() -> {
            Replica replica = table.byId(replicaId);
            boolean set = replica != null && !replica.isLeaving();
            if (set) {
                replica.weight(weight);
                port.publishRouting();
            }
            answer.complete(set);
        });
        if (!posted) {
            answer.complete(false);
        }
        return answer;
    }

    /**
     * Runs {@code request} on the loop, or {@code whenClosing} once the loop is closing or closed;
     * completes with what it returns or the {@link RolloutException} it throws. Anything else it
     * throws is a bug: the answer fails with it and the loop logs it.
     */
    private <T> CompletionStage<T> onLoop(Supplier<T> request, Supplier<T> whenClosing) {
        CompletableFuture<T> answer = new CompletableFuture<>();
        if (!port.submit(() -> answer(answer, closing.getAsBoolean() ? whenClosing : request))) {
            answer(answer, whenClosing);
        }
        return answer;
    }

    private static <T> void answer(CompletableFuture<T> answer, Supplier<T> value) {
        try {
            answer.complete(value.get());
        } catch (RolloutException e) {
            answer.completeExceptionally(e);
        } catch (RuntimeException e) {
            answer.completeExceptionally(e);
            throw e;
        }
    }
}
