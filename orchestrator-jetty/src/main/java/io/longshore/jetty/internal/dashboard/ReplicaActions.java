package io.longshore.jetty.internal.dashboard;

import io.longshore.core.ReplicaView;
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
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * {@code POST /replicas/{id}/drain} and {@code POST /replicas/{id}/replace}: 202 with
 * {@code {"service","replica","action"}} once the orchestrator has taken the replica out;
 * 404 for an unknown replica or service; 409 when the replica is already leaving or the
 * service has fixed backends; 405 for another method. The replica is looked up in the service
 * {@code ?service=} names, else in every service. The answer never blocks an admin thread.
 * Thread-safe.
 */
final class ReplicaActions {
    /** Longest wait for the control loop to take the request. */
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern PATH = Pattern.compile("/replicas/([^/]+)/(drain|replace)");

    private final List<ServiceView> services;
    private final JsonReplies replies;

    ReplicaActions(List<ServiceView> services, JsonReplies replies) {
        this.services = List.copyOf(services);
        this.replies = replies;
    }

    /** Answers {@code request} when its path is a replica action; false otherwise. */
    boolean handle(Request request, Response response, Callback callback) {
        Matcher matcher = PATH.matcher(request.getHttpURI().getDecodedPath());
        if (!matcher.matches()) {
            return false;
        }
        if (!HttpMethod.POST.is(request.getMethod())) {
            response.getHeaders().put(HttpHeader.ALLOW, HttpMethod.POST.asString());
            replies.error(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, "use POST");
            return true;
        }
        String id = matcher.group(1);
        String action = matcher.group(2);
        Fields query = Request.extractQueryParameters(request);
        String serviceName = query.getValue("service");
        Optional<ServiceView> service = serviceName == null ? holding(id) : named(serviceName);
        if (service.isEmpty() && serviceName != null) {
            replies.error(response, callback, HttpStatus.NOT_FOUND_404, "unknown service '" + serviceName + "'");
        } else if (service.isEmpty() || !holds(service.get(), id)) {
            replies.error(response, callback, HttpStatus.NOT_FOUND_404, "no replica '" + id + "'");
        } else {
            BiFunction<ServiceView, String, Optional<CompletionStage<Boolean>>> call =
                    action.equals("drain") ? ServiceView::drain : ServiceView::replace;
            act(service.get(), id, action, call.apply(service.get(), id), response, callback);
        }
        return true;
    }

    private void act(ServiceView service, String id, String action, Optional<CompletionStage<Boolean>> stage,
                     Response response, Callback callback) {
        if (stage.isEmpty()) {
            replies.error(response, callback, HttpStatus.CONFLICT_409,
                    "service '" + service.service() + "' has fixed backends; Longshore does not run them");
            return;
        }
        stage.get().toCompletableFuture().orTimeout(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((taken, error) -> {
                    if (error != null) {
                        Throwable cause = error instanceof CompletionException ? error.getCause() : error;
                        boolean late = cause instanceof TimeoutException;
                        replies.error(response, callback, late ? HttpStatus.SERVICE_UNAVAILABLE_503
                                : HttpStatus.INTERNAL_SERVER_ERROR_500, late
                                ? "the orchestrator did not take the request within " + ANSWER_TIMEOUT.toSeconds() + " s"
                                : String.valueOf(cause.getMessage()));
                    } else if (Boolean.TRUE.equals(taken)) {
                        Map<String, Object> body = new LinkedHashMap<>();
                        body.put("service", service.service());
                        body.put("replica", id);
                        body.put("action", action);
                        replies.send(response, callback, HttpStatus.ACCEPTED_202, body);
                    } else {
                        replies.error(response, callback, HttpStatus.CONFLICT_409,
                                "replica '" + id + "' is already leaving");
                    }
                });
    }

    private Optional<ServiceView> named(String name) {
        return services.stream().filter(s -> s.service().equals(name)).findFirst();
    }

    private Optional<ServiceView> holding(String id) {
        return services.stream().filter(s -> holds(s, id)).findFirst();
    }

    private static boolean holds(ServiceView service, String id) {
        for (ReplicaView replica : service.replicas()) {
            if (replica.id().equals(id)) {
                return true;
            }
        }
        return false;
    }
}
