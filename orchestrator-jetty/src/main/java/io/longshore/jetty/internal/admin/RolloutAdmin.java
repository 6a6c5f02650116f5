package io.longshore.jetty.internal.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.longshore.core.Orchestrator;
import io.longshore.core.RolloutException;
import io.longshore.core.RolloutStatus;
import io.longshore.jetty.internal.routing.ServiceView;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The admin API's rollouts: {@code GET /rollout} (the latest rollout), {@code POST /rollout} (a
 * {@link RolloutRequest} merged into the current spec starts one), {@code POST /rollout/pause},
 * {@code /rollout/resume} and {@code /rollout/undo}. Every answer that has a rollout is its status
 * ({@link AdminJson#rollout}); a bad body is 400, a request the rollout's state refuses 409, no
 * rollout yet 404, fixed backends 409. Answers come once the orchestrator's loop has acted, at most
 * {@link #ANSWER_TIMEOUT} later. Thread-safe.
 */
final class RolloutAdmin {
    /** How long an answer waits for the orchestrator. */
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);
    /** The largest body {@code POST /rollout} takes. */
    static final int MAX_BODY = 64 * 1024;

    /** An answer: an HTTP status and a body for Jackson. */
    record Reply(int status, Object body) {
        static Reply error(int status, String message) {
            return new Reply(status, Map.of("error", message));
        }
    }

    private final ObjectMapper json;

    RolloutAdmin(ObjectMapper json) {
        this.json = json;
    }

    /** Whether {@code path} is one of the rollout paths. */
    static boolean handles(String path) {
        return path.equals("/rollout") || path.startsWith("/rollout/");
    }

    /**
     * Answers {@code method path} with {@code body} (read only for {@code POST /rollout}) for
     * {@code service}; {@code method} is one the path answers ({@code GET}, {@code HEAD} or {@code POST}
     * for {@code /rollout}, {@code POST} for the others), as the admin handler has checked.
     */
    CompletionStage<Reply> handle(String method, String path, String body, ServiceView service) {
        boolean post = method.equals("POST");
        Optional<Orchestrator> orchestrator = service.orchestrator();
        if (!path.equals("/rollout") && !path.matches("/rollout/(pause|resume|undo)")) {
            return done(Reply.error(404, "no such admin path; the rollout paths are /rollout, /rollout/pause,"
                    + " /rollout/resume and /rollout/undo"));
        }
        if (orchestrator.isEmpty()) {
            return done(Reply.error(409, "service '" + service.service() + "' has fixed backends; it has no spec to"
                    + " roll out"));
        }
        return switch (path) {
            case "/rollout" -> post ? update(orchestrator.get(), body) : status(orchestrator.get());
            case "/rollout/pause" -> answer(orchestrator.get(), Orchestrator::pauseRollout);
            case "/rollout/resume" -> answer(orchestrator.get(), Orchestrator::resumeRollout);
            default -> answer(orchestrator.get(), Orchestrator::undoRollout);
        };
    }

    private static CompletionStage<Reply> status(Orchestrator orchestrator) {
        return done(orchestrator.rollout().map(status -> new Reply(200, AdminJson.rollout(status)))
                .orElseGet(() -> Reply.error(404, "no rollout has been started: POST /rollout starts one")));
    }

    /**
     * Checks the body against the spec as published (a body that makes no valid spec is a 400 at
     * once), then merges it on the orchestrator's loop into the desired spec of that moment: two
     * requests at once (or one right after another's answer, before the new spec is published)
     * would otherwise both merge into the same spec, and the second would undo the first.
     */
    private CompletionStage<Reply> update(Orchestrator orchestrator, String body) {
        RolloutRequest request;
        try {
            request = RolloutRequest.parse(json, body);
            request.mergeInto(orchestrator.spec());
        } catch (RolloutRequest.BadRequest e) {
            return done(Reply.error(400, e.getMessage()));
        }
        return answer(orchestrator, o -> o.update(request::merged));
    }

    private static CompletionStage<Reply> answer(Orchestrator orchestrator,
                                                 Function<Orchestrator, CompletionStage<RolloutStatus>> request) {
        return request.apply(orchestrator).toCompletableFuture()
                .orTimeout(ANSWER_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                .handle((status, error) -> error == null ? new Reply(200, AdminJson.rollout(status)) : failure(error));
    }

    private static Reply failure(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof RolloutException) {
            return Reply.error(409, cause.getMessage());
        }
        if (cause instanceof TimeoutException) {
            return Reply.error(503, "the orchestrator did not answer within " + ANSWER_TIMEOUT);
        }
        return Reply.error(500, String.valueOf(cause));
    }

    private static CompletionStage<Reply> done(Reply reply) {
        return CompletableFuture.completedFuture(reply);
    }
}
