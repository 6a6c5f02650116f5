package io.longshore.jetty.internal.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.longshore.api.ContainerSpec;
import io.longshore.jetty.internal.routing.ServiceView;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.URIUtil;

/**
 * {@code POST /replicas/{id}/weight} with {@code {"weight": n}}: sets one replica's weight for the
 * weighted strategies. Answers 200 with {@code {"id": ..., "weight": n}} once the router has it,
 * 400 for a body that is not such an object (or has more in it) or a weight outside
 * 1..{@value ContainerSpec#MAX_WEIGHT}, 413 for a body over {@value #MAX_BODY} bytes, 408 for one
 * that does not come within the admin API's body deadline,
 * 404 for an unknown (or leaving) replica, 409 for fixed backends, 503 when
 * the orchestrator does not answer within {@link #ANSWER_TIMEOUT}. Stateless apart from its JSON
 * mapper; thread-safe.
 */
final class WeightEndpoint {
    /** The path's start and end around the replica id. */
    static final String PREFIX = "/replicas/";
    static final String SUFFIX = "/weight";
    /** How long the orchestrator's loop may take to apply the weight. */
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(5);
    private static final int MAX_BODY = 4096;
    private static final String BODY = "a JSON body {\"weight\": n} with n in 1.." + ContainerSpec.MAX_WEIGHT;

    /** An answer: status and JSON body. */
    record Answer(int status, Object body) {
        static Answer error(int status, String message) {
            return new Answer(status, Map.of("error", message));
        }
    }

    /** How the answer goes back when it is known (at once, or when the loop has applied the weight). */
    interface Reply {
        void send(Answer answer);
    }

    private final ObjectMapper json;
    private final Duration bodyDeadline;

    /** {@code bodyDeadline}: how long a client may take to send the whole body (then 408). */
    WeightEndpoint(ObjectMapper json, Duration bodyDeadline) {
        this.json = json;
        this.bodyDeadline = bodyDeadline;
    }

    /** Whether {@code path} is {@code /replicas/{id}/weight}. */
    static boolean matches(String path) {
        return path.startsWith(PREFIX) && path.endsWith(SUFFIX) && path.length() > PREFIX.length() + SUFFIX.length();
    }

    /**
     * Handles the {@code POST} for {@code path} (which {@link #matches}; the admin handler answers
     * other methods 405), answering through {@code reply}.
     */
    void handle(Request request, String path, ServiceView service, Reply reply) {
        String id;
        try {
            id = URIUtil.decodePath(path.substring(PREFIX.length(), path.length() - SUFFIX.length()));
        } catch (IllegalArgumentException e) {
            reply.send(Answer.error(HttpStatus.BAD_REQUEST_400, "the replica id in the path is not valid percent-encoding"));
            return;
        }
        JsonBodies.text(request, MAX_BODY, bodyDeadline).whenComplete((body, error) -> {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof JsonBodies.Refused refused) {
                reply.send(Answer.error(refused.status(), refused.getMessage()));
            } else if (cause != null) { // the body could not be read: the client is gone or broke its framing
                reply.send(Answer.error(HttpStatus.BAD_REQUEST_400, "the body could not be read: " + cause));
            } else {
                apply(id, body, service, reply);
            }
        });
    }

    private void apply(String id, String body, ServiceView service, Reply reply) {
        int weight;
        try {
            weight = requestedWeight(body);
        } catch (JsonBodies.Refused e) {
            reply.send(Answer.error(e.status(), e.getMessage()));
            return;
        }
        Optional<CompletionStage<Boolean>> applied = service.setWeight(id, weight);
        if (applied.isEmpty()) {
            reply.send(Answer.error(HttpStatus.CONFLICT_409, "service '" + service.service()
                    + "' has fixed backends; their weights cannot be set"));
            return;
        }
        applied.get().toCompletableFuture().orTimeout(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((set, failure) -> reply.send(answer(id, weight, set, failure)));
    }

    private static Answer answer(String id, int weight, Boolean set, Throwable error) {
        if (error != null) {
            boolean late = error instanceof TimeoutException || error.getCause() instanceof TimeoutException;
            return Answer.error(HttpStatus.SERVICE_UNAVAILABLE_503, late
                    ? "the orchestrator did not apply the weight within " + ANSWER_TIMEOUT.toSeconds() + " s"
                    : "the weight could not be set: " + error);
        }
        if (!set) {
            return Answer.error(HttpStatus.NOT_FOUND_404, "no replica '" + id + "' (or it is leaving)");
        }
        // in the order the interface names them, the same in every run (Map.of's order changes per JVM)
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("weight", weight);
        return new Answer(HttpStatus.OK_200, body);
    }

    private int requestedWeight(String body) throws JsonBodies.Refused {
        JsonNode weight = JsonBodies.object(json, body, List.of("weight"), BODY)
                .get("weight");
        if (weight == null || !weight.isIntegralNumber() || !weight.canConvertToInt()
                || weight.intValue() < 1 || weight.intValue() > ContainerSpec.MAX_WEIGHT) {
            throw new JsonBodies.Refused(HttpStatus.BAD_REQUEST_400, "expected " + BODY);
        }
        return weight.intValue();
    }
}
