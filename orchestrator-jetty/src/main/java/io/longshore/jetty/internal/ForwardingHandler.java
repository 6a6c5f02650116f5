package io.longshore.jetty.internal;

import io.longshore.api.Endpoint;
import io.longshore.core.Router;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.Graceful;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reverse proxy: matches the path to a route, sheds load past the concurrency limit, and
 * forwards each request through one pooled keep-alive {@link HttpClient} to the replica its
 * router leases. Never blocks a thread: request and response bodies stream with Jetty's
 * demand-driven content API. Implements {@link Graceful} so a stopping server waits for
 * in-flight requests. Thread-safe.
 */
public final class ForwardingHandler extends Handler.Abstract implements Graceful {
    private static final Logger LOG = LoggerFactory.getLogger(ForwardingHandler.class);
    private final List<ServiceRoute> routes;
    private final ServiceMetrics[] metrics;
    private final ProxySettings settings;
    private final RetryBudget budget;
    private final HttpClient client;
    private final Admission admission;
    private final ConcurrentHashMap<Endpoint, URI> origins = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Endpoint, HttpField> hostFields = new ConcurrentHashMap<>();
    private volatile Router[] routers;

    /** @param admission the gateway's count of requests in flight, which this handler adds to */
    public ForwardingHandler(List<ServiceRoute> routes, List<ServiceMetrics> metrics, ProxySettings settings,
                             Admission admission) {
        super(InvocationType.NON_BLOCKING);
        this.routes = List.copyOf(routes);
        this.metrics = metrics.toArray(new ServiceMetrics[0]);
        this.settings = settings;
        this.admission = admission;
        this.budget = new RetryBudget(settings.retryBudget());
        this.client = newClient(settings);
        addBean(client, true);
    }

    private static HttpClient newClient(ProxySettings settings) {
        ClientConnector connector = new ClientConnector();
        connector.setSelectors(1);
        connector.setConnectTimeout(settings.connectTimeout());
        HttpClientTransportOverHTTP transport = new HttpClientTransportOverHTTP(connector);
        // Attempt's listeners never block, so replica responses are handled on the selector thread
        transport.setInvocationType(InvocationType.NON_BLOCKING);
        HttpClient client = new HttpClient(transport);
        client.setFollowRedirects(false);
        client.setHttpCookieStore(new HttpCookieStore.Empty());
        client.setUserAgentField(null);
        client.setMaxConnectionsPerDestination(settings.connectionsPerBackend());
        client.setMaxRequestsQueuedPerDestination(settings.maxConcurrentRequests());
        client.setConnectTimeout(settings.connectTimeout().toMillis());
        // one idle timeout serves as the response timeout (a replica silent that long fails the
        // request with a TimeoutException) and as the lifetime of an unused pooled connection,
        // so no per-request timer is rescheduled
        client.setIdleTimeout(settings.responseTimeout().toMillis());
        return client;
    }

    @Override
    protected void doStart() throws Exception {
        Server server = getServer();
        if (server != null) {
            client.setExecutor(server.getThreadPool());
            client.setScheduler(server.getScheduler());
            client.setByteBufferPool(server.getByteBufferPool());
        }
        Router[] resolved = new Router[routes.size()];
        for (int i = 0; i < resolved.length; i++) {
            resolved[i] = routes.get(i).router().get();
        }
        routers = resolved;
        super.doStart();
        client.getContentDecoderFactories().clear();
        client.getProtocolHandlers().clear();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int route = match(request.getHttpURI().getPath());
        if (route < 0) {
            reply(response, callback, HttpStatus.NOT_FOUND_404, "no route for this path\n");
            return true;
        }
        if (!admission.tryAdmit()) {
            metrics[route].error(ProxyError.OVERLOADED);
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
            reply(response, callback, HttpStatus.SERVICE_UNAVAILABLE_503, "gateway overloaded\n");
            return true;
        }
        if (request.getLength() > settings.maxRequestBodyBytes()) {
            release();
            metrics[route].error(ProxyError.BODY_TOO_LARGE);
            reply(response, Callback.from(() -> BodyDiscarder.discardRest(request, callback), callback::failed),
                    HttpStatus.PAYLOAD_TOO_LARGE_413, "request body too large\n");
            return true;
        }
        budget.deposit();
        Exchange exchange = new Exchange(this, routers[route], metrics[route], request, response, callback);
        try {
            exchange.start();
        } catch (RuntimeException e) {
            LOG.warn("forwarding {} {} failed", request.getMethod(), request.getHttpURI().getPath(), e);
            exchange.replyError(HttpStatus.BAD_GATEWAY_502, "gateway failed to forward the request\n");
        }
        return true;
    }

    private int match(String path) {
        String p = path == null || path.isEmpty() ? "/" : path;
        int best = -1;
        int bestLength = -1;
        for (int i = 0; i < routes.size(); i++) {
            ServiceRoute route = routes.get(i);
            if (route.prefix().length() > bestLength && route.matches(p)) {
                best = i;
                bestLength = route.prefix().length();
            }
        }
        return best;
    }

    /** Writes a short plain-text response of the gateway's own. */
    static void reply(Response response, Callback callback, int status, String message) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain;charset=utf-8");
        byte[] body = message.getBytes(StandardCharsets.UTF_8);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    /** One request left the gateway. */
    void release() {
        admission.release();
    }

    /**
     * The Host header for a replica, encoded once. Without it Jetty's client derives Host from
     * the request's java.net.URI, which it builds and parses for every request.
     */
    HttpField hostField(Endpoint endpoint) {
        HttpField field = hostFields.get(endpoint);
        if (field == null) {
            field = hostFields.computeIfAbsent(endpoint, e -> new PreEncodedHttpField(HttpHeader.HOST, e.authority()));
        }
        return field;
    }

    URI origin(Endpoint endpoint) {
        URI uri = origins.get(endpoint);
        if (uri == null) {
            uri = origins.computeIfAbsent(endpoint, e -> URI.create("http://" + e.authority()));
        }
        return uri;
    }

    HttpClient client() {
        return client;
    }

    ProxySettings settings() {
        return settings;
    }

    RetryBudget budget() {
        return budget;
    }

    /** Completes when the gateway has no request in flight (its server waits for that when it stops). */
    @Override
    public CompletableFuture<Void> shutdown() {
        return admission.drain();
    }

    @Override
    public boolean isShutdown() {
        return admission.isDrained();
    }
}
