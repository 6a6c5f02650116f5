package io.longshore.jetty.internal.admin;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.longshore.core.OrchestratorStatus;
import io.longshore.jetty.internal.dashboard.AdminRoutes;
import io.longshore.jetty.internal.embedded.RequestHosts;
import io.longshore.jetty.internal.metrics.GatewayMetrics;
import io.longshore.jetty.internal.routing.ServiceView;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletionException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API: {@code GET /replicas}, {@code POST /replicas/{id}/weight} ({@link WeightEndpoint}),
 * {@code GET /status}, {@code POST /scale},
 * {@code GET /events}, {@code GET /metrics}, {@code GET /healthz}, and the rollouts
 * ({@code GET|POST /rollout}, {@code POST /rollout/pause|resume|undo}, see {@link RolloutAdmin});
 * {@code ?service=name} picks one of several services (the first by default). The dashboard,
 * {@code GET /stream} and the replica actions are {@link AdminRoutes}, a component of this handler.
 * With a bearer token configured, every request but the dashboard's data-free files must carry
 * it. Before anything else, a request whose {@code Host} is not one of {@link AdminHosts} gets 421:
 * the defence against DNS rebinding, which the {@code Origin} check cannot give. Thread-safe.
 */
public final class AdminHandler extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(AdminHandler.class);
    private static final int MAX_BODY = 4096;
    private static final int DEFAULT_EVENTS = 100;
    private static final String SCALE_BODY = "a JSON body {\"replicas\": n} with n >= 0";
    /** How long a client may take to send a whole request body unless told otherwise; then 408. */
    public static final Duration DEFAULT_BODY_DEADLINE = JsonBodies.DEADLINE;

    private final List<ServiceView> services;
    private final GatewayMetrics metrics;
    private final byte[] expectedAuthorization;
    private final AdminHosts hosts;
    /**
     * One JSON value per body: content after it is refused, not ignored; so is a key given twice
     * ({@code {"replicas":2,"replicas":3}}), where silently taking the last would guess.
     */
    private final ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private final WeightEndpoint weights;
    private final Duration bodyDeadline;
    private final AdminRoutes routes;
    private final RolloutAdmin rollouts = new RolloutAdmin(json);

    /** {@code bodyDeadline}: how long a client may take to send a whole request body (then 408). */
    public AdminHandler(List<ServiceView> services, GatewayMetrics metrics, String bearerToken, AdminHosts hosts,
                        AdminRoutes routes, Duration bodyDeadline) {
        this.services = List.copyOf(services);
        this.bodyDeadline = java.util.Objects.requireNonNull(bodyDeadline, "bodyDeadline");
        this.weights = new WeightEndpoint(json, bodyDeadline);
        this.hosts = hosts;
        this.metrics = metrics;
        this.routes = routes;
        addBean(routes);
        this.expectedAuthorization = bearerToken == null ? null
                : ("Bearer " + bearerToken).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String host = RequestHosts.of(request); // an absolute-form target's authority over the Host field
        if (!hosts.allows(host)) {
            send(response, callback, HttpStatus.MISDIRECTED_REQUEST_421, Map.of("error", "the admin API does not"
                    + " answer to Host '" + host + "'; it answers to " + String.join(", ", hosts.names())
                    + " (add names with GatewayBuilder.adminAllowedHosts)"));
            return true;
        }
        if (routes.handlePublic(request, response, callback)) {
            return true;
        }
        if (!authorized(request)) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
            send(response, callback, HttpStatus.UNAUTHORIZED_401, Map.of("error", "missing or wrong bearer token"));
            return true;
        }
        String path = request.getHttpURI().getPath();
        if ("/healthz".equals(path)) {
            response.setStatus(HttpStatus.OK_200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain;charset=utf-8");
            response.write(true, ByteBuffer.wrap("ok\n".getBytes(StandardCharsets.UTF_8)), callback);
            return true;
        }
        if ("/metrics".equals(path)) {
            response.setStatus(HttpStatus.OK_200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
            response.write(true, ByteBuffer.wrap(metrics.scrape().getBytes(StandardCharsets.UTF_8)), callback);
            return true;
        }
        if (routes.handle(request, response, callback)) {
            return true;
        }
        Fields query = Request.extractQueryParameters(request);
        ServiceView service = service(query.getValue("service"));
        if (service == null) {
            send(response, callback, HttpStatus.NOT_FOUND_404, Map.of("error", "unknown service"));
            return true;
        }
        try {
            route(request, response, callback, path, query, service);
        } catch (RuntimeException e) {
            LOG.warn("admin request {} failed", path, e);
            send(response, callback, HttpStatus.INTERNAL_SERVER_ERROR_500, Map.of("error", String.valueOf(e.getMessage())));
        }
        return true;
    }

    private void route(Request request, Response response, Callback callback, String path, Fields query,
                       ServiceView service) throws Exception {
        String allowed = allowedMethods(path);
        if (allowed != null && !List.of(allowed.split(", ")).contains(request.getMethod())) {
            // RFC 9110 15.5.6: a 405 says which methods the path does answer
            response.getHeaders().put(HttpHeader.ALLOW, allowed);
            // the body names what to use: HEAD, GET without the body, goes without saying there
            send(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405,
                    Map.of("error", "use " + allowed.replace(", HEAD", "").replace(", ", " or ")));
            return;
        }
        if (RolloutAdmin.handles(path)) {
            rollout(request, response, callback, path, service);
            return;
        }
        switch (path) {
            case "/replicas" -> send(response, callback, HttpStatus.OK_200, AdminJson.replicas(service.replicas()));
            case "/status" -> send(response, callback, HttpStatus.OK_200, AdminJson.status(service.status()));
            case "/events" -> events(query, response, callback, service);
            case "/scale" -> scale(request, response, callback, service);
            default -> {
                if (WeightEndpoint.matches(path)) {
                    weights.handle(request, path, service, answer -> sendQuietly(response, callback, answer));
                } else {
                    send(response, callback, HttpStatus.NOT_FOUND_404, Map.of("error", "no such admin path"));
                }
            }
        }
    }

    /**
     * The methods {@code path} answers (an {@code Allow} value), or {@code null} for no path of the API.
     * HEAD is GET without the body (RFC 9110 9.3.2; Jetty drops the body a HEAD answer writes), so
     * every path that answers GET answers HEAD and says so.
     */
    static String allowedMethods(String path) {
        return switch (path) {
            case "/replicas", "/status", "/events" -> "GET, HEAD";
            case "/scale", "/rollout/pause", "/rollout/resume", "/rollout/undo" -> "POST";
            case "/rollout" -> "GET, HEAD, POST";
            default -> WeightEndpoint.matches(path) ? "POST" : null;
        };
    }

    private void events(Fields query, Response response, Callback callback, ServiceView service)
            throws Exception {
        int limit = DEFAULT_EVENTS;
        String raw = query.getValue("limit");
        if (raw != null) {
            try {
                limit = Integer.parseInt(raw);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1) {
                send(response, callback, HttpStatus.BAD_REQUEST_400, Map.of("error", "limit must be a positive integer"));
                return;
            }
        }
        send(response, callback, HttpStatus.OK_200, AdminJson.events(service.recentEvents(limit)));
    }

    private void scale(Request request, Response response, Callback callback, ServiceView service) {
        withBody(request, response, callback, MAX_BODY, text -> {
            OptionalInt desired = service.scaleTo(requestedReplicas(text));
            if (desired.isEmpty()) {
                send(response, callback, HttpStatus.CONFLICT_409, Map.of("error",
                        "service '" + service.service() + "' has fixed backends; it cannot scale"));
                return;
            }
            // the control loop applies the count a moment later: answer with the count just set
            OrchestratorStatus s = service.status();
            send(response, callback, HttpStatus.OK_200, AdminJson.status(new OrchestratorStatus(s.service(),
                    desired.getAsInt(), s.ready(), s.min(), s.max(), s.strategy(), s.policy(), s.lastScaling(),
                    s.lastDecision())));
        });
    }

    private void rollout(Request request, Response response, Callback callback, String path, ServiceView service) {
        if (HttpMethod.POST.is(request.getMethod()) && path.equals("/rollout")) {
            withBody(request, response, callback, RolloutAdmin.MAX_BODY,
                    body -> rollout(request.getMethod(), path, body, service, response, callback));
        } else {
            rollout(request.getMethod(), path, null, service, response, callback);
        }
    }

    private void rollout(String method, String path, String body, ServiceView service, Response response,
                         Callback callback) {
        rollouts.handle(method, path, body, service).whenComplete((reply, error) -> {
            try {
                if (error != null) {
                    send(response, callback, HttpStatus.INTERNAL_SERVER_ERROR_500, Map.of("error", String.valueOf(error)));
                } else {
                    send(response, callback, reply.status(), reply.body());
                }
            } catch (Exception e) {
                callback.failed(e);
            }
        });
    }

    /** What a request does with its body once it has all come. */
    private interface BodyUse {
        void accept(String body) throws Exception;
    }

    /**
     * Reads the body without holding this thread ({@link JsonBodies#text}), then hands it to
     * {@code use} on whichever thread finished the read; a body refused (413, 408, or 400 from
     * {@code use}) or unreadable is answered here.
     */
    private void withBody(Request request, Response response, Callback callback, int max, BodyUse use) {
        JsonBodies.text(request, max, bodyDeadline).whenComplete((body, error) -> {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            try {
                if (cause instanceof JsonBodies.Refused refused) {
                    send(response, callback, refused.status(), Map.of("error", refused.getMessage()));
                } else if (cause != null) { // the client is gone or broke its framing
                    send(response, callback, HttpStatus.BAD_REQUEST_400,
                            Map.of("error", "the body could not be read: " + cause));
                } else {
                    use.accept(body);
                }
            } catch (JsonBodies.Refused e) {
                sendQuietly(response, callback, e.status(), Map.of("error", e.getMessage()));
            } catch (Exception e) {
                LOG.warn("admin request {} failed", request.getHttpURI().getPath(), e);
                sendQuietly(response, callback, HttpStatus.INTERNAL_SERVER_ERROR_500,
                        Map.of("error", String.valueOf(e.getMessage())));
            }
        });
    }

    /** The count a {@code POST /scale} body asks for. */
    private int requestedReplicas(String body) throws JsonBodies.Refused {
        JsonNode replicas = JsonBodies.object(json, body, List.of("replicas"), SCALE_BODY).get("replicas");
        if (replicas == null || !replicas.isIntegralNumber() || !replicas.canConvertToInt() || replicas.intValue() < 0) {
            throw new JsonBodies.Refused(HttpStatus.BAD_REQUEST_400, "expected " + SCALE_BODY);
        }
        return replicas.intValue();
    }

    private ServiceView service(String name) {
        if (name == null) {
            return services.get(0);
        }
        for (ServiceView service : services) {
            if (service.service().equals(name)) {
                return service;
            }
        }
        return null;
    }

    private boolean authorized(Request request) {
        if (expectedAuthorization == null) {
            return true;
        }
        String given = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        return given != null && MessageDigest.isEqual(expectedAuthorization, given.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends {@code answer}, possibly from another thread than the request's; a failure fails the callback. */
    private void sendQuietly(Response response, Callback callback, WeightEndpoint.Answer answer) {
        sendQuietly(response, callback, answer.status(), answer.body());
    }

    private void sendQuietly(Response response, Callback callback, int status, Object body) {
        try {
            send(response, callback, status, body);
        } catch (Exception e) {
            callback.failed(e);
        }
    }

    private void send(Response response, Callback callback, int status, Object body) throws Exception {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(json.writeValueAsBytes(body)), callback);
    }
}
