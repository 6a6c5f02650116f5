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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
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
 * With a bearer token configured ({@link BearerToken}), every request but the dashboard's data-free
 * files must carry it. Bodies are read and answers written as JSON by {@link JsonAnswers}. Before anything else, a request whose {@code Host} is not one of {@link AdminHosts} gets 421:
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
    private final BearerToken token;
    private final AdminHosts hosts;
    /**
     * One JSON value per body: content after it is refused, not ignored; so is a key given twice
     * ({@code {"replicas":2,"replicas":3}}), where silently taking the last would guess.
     */
    private final ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private final WeightEndpoint weights;
    private final JsonAnswers answers;
    private final AdminRoutes routes;
    private final RolloutAdmin rollouts = new RolloutAdmin(json);

    /** {@code bodyDeadline}: how long a client may take to send a whole request body (then 408). */
    public AdminHandler(List<ServiceView> services, GatewayMetrics metrics, String bearerToken, AdminHosts hosts,
                        AdminRoutes routes, Duration bodyDeadline) {
        this.services = List.copyOf(services);
        this.answers = new JsonAnswers(json, java.util.Objects.requireNonNull(bodyDeadline, "bodyDeadline"));
        this.weights = new WeightEndpoint(json, bodyDeadline);
        this.hosts = hosts;
        this.metrics = metrics;
        this.routes = routes;
        addBean(routes);
        this.token = new BearerToken(bearerToken);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String host = RequestHosts.of(request); // an absolute-form target's authority over the Host field
        if (!hosts.allows(host)) {
            answers.send(response, callback, HttpStatus.MISDIRECTED_REQUEST_421, Map.of("error",
                    "the admin API does not answer to Host '" + host + "'; it answers to "
                    + String.join(", ", hosts.names()) + " (add names with GatewayBuilder.adminAllowedHosts)"));
            return true;
        }
        if (routes.handlePublic(request, response, callback)) {
            return true;
        }
        if (!token.allows(request)) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
            answers.send(response, callback, HttpStatus.UNAUTHORIZED_401,
                    Map.of("error", "missing or wrong bearer token"));
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
            answers.send(response, callback, HttpStatus.NOT_FOUND_404, Map.of("error", "unknown service"));
            return true;
        }
        try {
            route(request, response, callback, path, query, service);
        } catch (RuntimeException e) {
            LOG.warn("admin request {} failed", path, e);
            answers.send(response, callback, HttpStatus.INTERNAL_SERVER_ERROR_500,
                    Map.of("error", String.valueOf(e.getMessage())));
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
            answers.send(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405,
                    Map.of("error", "use " + allowed.replace(", HEAD", "").replace(", ", " or ")));
            return;
        }
        if (RolloutAdmin.handles(path)) {
            rollout(request, response, callback, path, service);
            return;
        }
        switch (path) {
            case "/replicas" -> answers.send(response, callback, HttpStatus.OK_200,
                    AdminJson.replicas(service.replicas()));
            case "/status" -> answers.send(response, callback, HttpStatus.OK_200, AdminJson.status(service.status()));
            case "/events" -> events(query, response, callback, service);
            case "/scale" -> scale(request, response, callback, service);
            default -> {
                if (WeightEndpoint.matches(path)) {
                    weights.handle(request, path, service,
                            answer -> answers.sendQuietly(response, callback, answer.status(), answer.body()));
                } else {
                    answers.send(response, callback, HttpStatus.NOT_FOUND_404, Map.of("error", "no such admin path"));
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
                answers.send(response, callback, HttpStatus.BAD_REQUEST_400,
                        Map.of("error", "limit must be a positive integer"));
                return;
            }
        }
        answers.send(response, callback, HttpStatus.OK_200, AdminJson.events(service.recentEvents(limit)));
    }

    private void scale(Request request, Response response, Callback callback, ServiceView service) {
        answers.withBody(request, response, callback, MAX_BODY, text -> {
            OptionalInt desired = service.scaleTo(requestedReplicas(text));
            if (desired.isEmpty()) {
                answers.send(response, callback, HttpStatus.CONFLICT_409, Map.of("error",
                        "service '" + service.service() + "' has fixed backends; it cannot scale"));
                return;
            }
            // the control loop applies the count a moment later: answer with the count just set
            OrchestratorStatus s = service.status();
            answers.send(response, callback, HttpStatus.OK_200, AdminJson.status(new OrchestratorStatus(
                    s.service(), desired.getAsInt(), s.ready(), s.min(), s.max(), s.strategy(), s.policy(),
                    s.lastScaling(), s.lastDecision())));
        });
    }

    private void rollout(Request request, Response response, Callback callback, String path, ServiceView service) {
        if (HttpMethod.POST.is(request.getMethod()) && path.equals("/rollout")) {
            answers.withBody(request, response, callback, RolloutAdmin.MAX_BODY,
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
                    answers.send(response, callback, HttpStatus.INTERNAL_SERVER_ERROR_500,
                            Map.of("error", String.valueOf(error)));
                } else {
                    answers.send(response, callback, reply.status(), reply.body());
                }
            } catch (Exception e) {
                callback.failed(e);
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
}
