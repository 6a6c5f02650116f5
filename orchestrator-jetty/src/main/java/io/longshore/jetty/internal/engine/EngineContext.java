package io.longshore.jetty.internal.engine;

import io.longshore.api.Endpoint;
import io.longshore.core.Router;
import io.longshore.jetty.internal.accesslog.AccessLogWriter;
import io.longshore.jetty.internal.codec.EncodedReplies;
import io.longshore.jetty.internal.codec.HeadWriter;
import io.longshore.jetty.internal.tls.TlsTerminator;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.ByteBufferPool;
import io.longshore.jetty.internal.metrics.ServiceMetrics;
import io.longshore.jetty.internal.policy.Admission;
import io.longshore.jetty.internal.policy.GatewayReply;
import io.longshore.jetty.internal.policy.KnownEndpoints;
import io.longshore.jetty.internal.policy.ProxySettings;
import io.longshore.jetty.internal.policy.RetryBudget;
import io.longshore.jetty.internal.policy.StickyCookie;
import io.longshore.jetty.internal.policy.WaitingRoom;
import io.longshore.jetty.internal.policy.WaitingRooms;
import io.longshore.jetty.internal.routing.RouteTable;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * What every worker of one engine shares: the settings, the route table with each route's
 * router and meters, the retry budget, the encoded replies and the gateway's {@link Admission}
 * (requests in flight, draining). Thread-safe: the routes are fixed at start, the counters are
 * atomic.
 */
final class EngineContext {
    final ProxySettings settings;
    final RetryBudget budget;
    final Scheduler scheduler;
    final long clientIdleTimeoutMillis;
    final long requestHeadTimeoutNanos;
    /** How long a worker polls after a round with events before it sleeps. */
    final long busyPollNanos;
    /** TLS for the clients of the TLS listener; {@code null} without one. */
    final TlsTerminator tls;
    /** Where clients that speak HTTP/2 go; {@code null} when the gateway speaks only HTTP/1.x. */
    final Http2Connections http2;
    /** The encrypted bytes' buffers of TLS connections. */
    final ByteBufferPool tlsBuffers = new ArrayByteBufferPool();
    /** A client's input buffer holds the largest head allowed and then some body. */
    final int clientBufferSize;
    private final RouteTable routes;
    private final Router[] routers;
    /** Each route's sticky cookie, null where its strategy has none. */
    private final StickyCookie[] sticky;
    private final ServiceMetrics[] metrics;
    private final Admission admission;
    private final WaitingRooms rooms;
    private final EncodedReplies replies = new EncodedReplies();
    /** Where each request is logged; {@code null} when the access log is off. */
    final AccessLogWriter accessLog;

    EngineContext(RouteTable routes, List<ServiceMetrics> metrics, ProxySettings settings, Admission admission,
                  RetryBudget budget, Scheduler scheduler, EngineOptions options, WaitingRooms rooms,
                  AccessLogWriter accessLog) {
        this.accessLog = accessLog;
        this.settings = settings;
        this.admission = admission;
        this.rooms = rooms;
        this.budget = budget;
        this.scheduler = scheduler;
        this.clientIdleTimeoutMillis = options.clientIdleTimeoutMillis();
        this.tls = options.tls();
        this.http2 = options.http2();
        this.busyPollNanos = options.busyPollNanos();
        this.requestHeadTimeoutNanos = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(options.requestHeadTimeoutMillis());
        this.clientBufferSize = settings.requestBufferBytes();
        this.routes = routes;
        this.routers = new Router[routes.size()];
        this.sticky = new StickyCookie[routes.size()];
        this.metrics = metrics.toArray(new ServiceMetrics[0]);
        for (int i = 0; i < routers.length; i++) {
            routers[i] = routes.route(i).router().get();
            sticky[i] = StickyCookie.of(routers[i]).orElse(null);
        }
    }

    /**
     * The endpoints of every backend the routes' routers know now ({@link KnownEndpoints}), or
     * null when a router failed to say (logged).
     */
    Set<Endpoint> knownEndpoints() {
        return KnownEndpoints.of(routers);
    }

    /** The route the path {@code b[from, to)} takes ({@link RouteTable#match}), or -1. */
    int match(byte[] b, int from, int to) {
        return routes.match(b, from, to);
    }

    int routeCount() {
        return routers.length;
    }

    Router router(int route) {
        return routers[route];
    }

    /** The sticky cookie of {@code route}'s strategy, or null when it has none. */
    StickyCookie sticky(int route) {
        return sticky[route];
    }

    ServiceMetrics metrics(int route) {
        return metrics[route];
    }

    /** Where requests to {@code route} wait for room. */
    WaitingRoom room(int route) {
        return rooms.room(route);
    }

    /** {@code reply} as bytes to write to a client, telling it {@code connection}. */
    ByteBuffer reply(GatewayReply reply, HeadWriter.ConnectionOption connection) {
        return replies.bytes(reply, connection);
    }

    /** The same for a {@code HEAD} request: the head alone. */
    ByteBuffer replyToHead(GatewayReply reply, HeadWriter.ConnectionOption connection) {
        return replies.headOnly(reply, connection);
    }

    /** Counts a request in; false (and nothing counted) past the concurrency limit. */
    boolean admit() {
        return admission.tryAdmit();
    }

    /** A request admitted by {@link #admit} left. */
    void release() {
        admission.release();
    }

    /** Whether the gateway drains: no connection is kept alive any more. */
    boolean isDraining() {
        return admission.isDraining();
    }
}
