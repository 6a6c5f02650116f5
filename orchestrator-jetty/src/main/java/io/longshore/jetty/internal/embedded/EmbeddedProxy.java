package io.longshore.jetty.internal.embedded;

import io.longshore.api.internal.UserCode;
import io.longshore.core.Router;
import io.longshore.jetty.internal.accesslog.AccessLogWriter;
import io.longshore.jetty.internal.metrics.ProxyError;
import io.longshore.jetty.internal.metrics.ServiceMetrics;
import io.longshore.jetty.internal.policy.Admission;
import io.longshore.jetty.internal.policy.GatewayReply;
import io.longshore.jetty.internal.policy.KnownEndpoints;
import io.longshore.jetty.internal.policy.ProxySettings;
import io.longshore.jetty.internal.policy.RetryBudget;
import io.longshore.jetty.internal.policy.WaitingRooms;
import io.longshore.jetty.internal.routing.RouteTable;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.Graceful;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway as a Jetty {@link Handler} for a host's own server: the host server parses each
 * request and keeps the client connections; this handler applies the gateway's one proxy
 * policy (route table, admission, retry rules, header policy, replies) and forwards through a
 * pooled keep-alive {@link HttpClient} to the replica its router leases. Never blocks a thread:
 * bodies stream with Jetty's demand-driven content API. {@link Graceful}, so a stopping host
 * server waits for the requests in flight. Its {@link ReplicaClient} is that client, which it
 * starts and stops as its child, sweeping what it keeps of endpoints no router knows any more
 * meanwhile; its {@link OpenTunnels}, the upgraded connections it closes when it stops. Each request it admits goes on as an {@link Exchange} or an {@link UpgradeExchange}.
 * Thread-safe.
 */
public final class EmbeddedProxy extends Handler.Abstract implements Graceful {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedProxy.class);
    private final RouteTable routes;
    private final ServiceMetrics[] metrics;
    private final ProxySettings settings;
    private final Admission admission;
    private final RetryBudget budget;
    private final WaitingRooms rooms;
    private final RandomGenerator random;
    private final ReplicaClient replicas;
    private final OpenTunnels tunnels = new OpenTunnels();
    private volatile Router[] routers;
    private final AccessLogWriter accessLog;
    private final int maxHeadBytes;

    /**
     * @param admission    the gateway's count of requests in flight, which this handler adds to
     * @param budget       the gateway's retry budget
     * @param rooms        where requests wait for room, by route
     * @param accessLog    where each request is logged, {@code null} for nowhere
     * @param maxHeadBytes the longest request head answered, counted as the HTTP/1.1 head the
     *                     replica would get (414 or 431 beyond); 0 to leave heads to the host
     *                     server's own limit
     */
    public EmbeddedProxy(RouteTable routes, List<ServiceMetrics> metrics, ProxySettings settings, Admission admission,
                         RetryBudget budget, WaitingRooms rooms, AccessLogWriter accessLog, int maxHeadBytes) {
        super(InvocationType.NON_BLOCKING);
        this.accessLog = accessLog;
        this.maxHeadBytes = maxHeadBytes;
        this.routes = routes;
        this.metrics = metrics.toArray(new ServiceMetrics[0]);
        this.settings = settings;
        this.admission = admission;
        this.budget = budget;
        this.rooms = rooms;
        this.random = settings.randomness().shared();
        this.replicas = new ReplicaClient(settings);
        addBean(replicas.client(), true);
    }

    @Override
    protected void doStart() throws Exception {
        Server server = getServer();
        if (server != null) {
            replicas.useHost(server);
        }
        Router[] resolved = new Router[routes.size()];
        for (int i = 0; i < resolved.length; i++) {
            resolved[i] = routes.route(i).router().get();
        }
        routers = resolved;
        super.doStart();
        replicas.started();
        replicas.startSweeping(() -> KnownEndpoints.of(resolved));
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        GatewayReply refusal = Refusals.of(request, maxHeadBytes);
        if (refusal != null) {
            logReply(request, refusal, null);
            Replies.send(response, callback, refusal, true);
            return true;
        }
        int route = routes.match(request.getHttpURI().getPath());
        if (route == RouteTable.NO_ROUTE) {
            logReply(request, GatewayReply.NOT_FOUND, null);
            Replies.send(response, callback, GatewayReply.NOT_FOUND, hasBody(request));
            return true;
        }
        if (!admission.tryAdmit()) {
            metrics[route].error(ProxyError.OVERLOADED);
            logReply(request, GatewayReply.OVERLOADED, metrics[route].service());
            Replies.send(response, callback, GatewayReply.OVERLOADED, hasBody(request));
            return true;
        }
        if (request.getLength() > settings.maxRequestBodyBytes()) {
            admission.release();
            metrics[route].error(ProxyError.BODY_TOO_LARGE);
            logReply(request, GatewayReply.BODY_TOO_LARGE, metrics[route].service());
            Replies.send(response, Callback.from(() -> BodyDiscarder.discardRest(request, callback), callback::failed),
                    GatewayReply.BODY_TOO_LARGE, true);
            return true;
        }
        budget.deposit();
        forward(route, request, response, callback);
        return true;
    }

    /**
     * Starts the admitted request's exchange. An exchange guards its own steps; one that cannot
     * even be made (a defect) fails this request alone with 502, and its place is freed.
     */
    private void forward(int route, Request request, Response response, Callback callback) {
        boolean upgrade = UpgradeHead.isUpgrade(request);
        UpgradeExchange tunnelling = null;
        Exchange exchange = null;
        try {
            if (upgrade) {
                tunnelling = new UpgradeExchange(this, routers[route], metrics[route], request, response, callback);
            } else {
                exchange = new Exchange(this, routers[route], metrics[route], rooms.room(route), request, response,
                        callback);
            }
        } catch (RuntimeException | Error e) {
            UserCode.rethrowIfFatal(e);
            LOG.warn("forwarding {} {} failed", request.getMethod(), request.getHttpURI().getPath(), e);
            metrics[route].error(ProxyError.INTERNAL);
            logReply(request, GatewayReply.GATEWAY_FAILED, metrics[route].service());
            admission.release();
            Replies.send(response, callback, GatewayReply.GATEWAY_FAILED, hasBody(request));
            return;
        }
        if (upgrade) {
            tunnelling.start();
        } else {
            exchange.start();
        }
    }

    static boolean hasBody(Request request) {
        return request.getLength() > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
    }

    /** Logs a request the host server refused before this handler saw it ({@link ServerRefusals}). */
    void logRefusal(Request request, GatewayReply reply) {
        logReply(request, reply, null);
    }

    private void logReply(Request request, GatewayReply reply, String service) {
        if (accessLog != null) {
            AccessLogging.logReply(accessLog, settings.clock().instant().toEpochMilli(), request, reply, service);
        }
    }

    /** The gateway's client to its replicas, and what it keeps of them. */
    ReplicaClient replicas() {
        return replicas;
    }

    /** The tunnels of upgraded connections open through this handler. */
    OpenTunnels tunnels() {
        return tunnels;
    }

    /** Closes every tunnel still open (the gateway closes after its shutdown timeout). */
    public void closeTunnels() {
        tunnels.closeAll();
    }

    /**
     * The scheduler the handler forwards with: the host server's, or its client's own when it runs
     * in no server. Only while started.
     */
    public org.eclipse.jetty.util.thread.Scheduler scheduler() {
        return replicas.client().getScheduler();
    }

    @Override
    protected void doStop() throws Exception {
        replicas.stopSweeping();
        closeTunnels();
        super.doStop();
    }

    /** Where requests are logged; {@code null} when the access log is off. */
    AccessLogWriter accessLog() {
        return accessLog;
    }

    /** One request left the gateway. */
    void release() {
        admission.release();
    }

    /**
     * {@code clientEndPoint}, with the writes this handler's replica selector makes to it held to
     * the end of that selector's round ({@link ClientWrites}): for connections whose responses are
     * all written from that thread, as the standalone gateway's HTTP/2 connections are.
     */
    public EndPoint holdingWrites(EndPoint clientEndPoint) {
        return replicas.holdingWrites(clientEndPoint);
    }

    ProxySettings settings() {
        return settings;
    }

    RetryBudget budget() {
        return budget;
    }

    RandomGenerator random() {
        return random;
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
