package io.longshore.jetty.internal.embedded;

import io.longshore.api.Backend;
import io.longshore.api.Clock;
import io.longshore.api.internal.UserCode;
import io.longshore.core.Lease;
import io.longshore.core.Router;
import io.longshore.jetty.internal.codec.Method;
import io.longshore.jetty.internal.codec.ResponseHead;
import io.longshore.jetty.internal.metrics.ProxyError;
import io.longshore.jetty.internal.metrics.ServiceMetrics;
import io.longshore.jetty.internal.policy.GatewayReply;
import io.longshore.jetty.internal.policy.LeaseOutcomes;
import io.longshore.jetty.internal.policy.RetryRules;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.ClientConnectionFactory;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.Transport;
import org.eclipse.jetty.server.HttpStream;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Promise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One upgrade request (a WebSocket handshake, say) through the embedded gateway: leases a
 * replica, opens a connection of its own to it (never pooled) and sends the request with its
 * {@code Upgrade}; a 101 is passed to the client and the host server hands the client's
 * connection over, and the two become an {@link EmbeddedTunnel} that stays in flight (and keeps
 * the replica's lease) until it closes. Any other answer is relayed as a normal response. A
 * refused connection goes to another replica as for any request. It ends, once, through its
 * {@link UpgradeEnd}. Every entry point from Jetty and the replica's connection is guarded as a
 * plain exchange's is: the gateway's own code throwing ends it through {@link #internalFailure}.
 * Thread-safe.
 */
final class UpgradeExchange implements Promise<Connection>, EmbeddedTunnel.Owner {
    private static final Logger LOG = LoggerFactory.getLogger(UpgradeExchange.class);
    private final EmbeddedProxy proxy;
    private final Router router;
    private final Clock routerClock;
    private final ServiceMetrics metrics;
    private final Request request;
    private final HostRequest route;
    private final Response response;
    private final Lease lease;
    private final RetryRules rules;
    private final UpgradeEnd end;
    private volatile UpgradeReplicaConnection replica;
    /** When the replica switched, on the router's clock (for its lease). */
    private volatile long switchedAt;
    /**
     * On the gateway's clock: when the attempt started (for the replica's load window), when the
     * replica switched (for that window and the request's latency, which a tunnel's handshake is).
     */
    private volatile long attemptStartNanos;
    private volatile long switchedGatewayNanos;
    private volatile boolean tunnelled;
    private volatile EmbeddedTunnel tunnel;
    /** Whether the tunnel was counted open (so its closing is counted too). */
    private volatile boolean tunnelCounted;
    /** The router clock's reading when the last attempt was leased. */
    private volatile long leasedAtNanos;
    /** Set once the gateway's own code threw on this exchange ({@link #internalFailure}). */
    private final AtomicBoolean broken = new AtomicBoolean();

    UpgradeExchange(EmbeddedProxy proxy, Router router, ServiceMetrics metrics, Request request, Response response,
                    Callback callback) {
        this.proxy = proxy;
        this.router = router;
        this.routerClock = router.clock();
        this.metrics = metrics;
        this.request = request;
        this.route = new HostRequest(request);
        this.response = response;
        this.lease = router.newLease();
        this.rules = new RetryRules(proxy.budget(), 0, proxy.random());
        this.end = new UpgradeEnd(proxy, metrics, request, response, callback,
                proxy.settings().clock().nanoTime());
    }

    /** Whether {@code request} asks to switch protocols: HTTP/1.1, {@code Connection: upgrade} and an {@code Upgrade} field. */
    static boolean isUpgrade(Request request) {
        HttpFields headers = request.getHeaders();
        if (request.getConnectionMetaData().getHttpVersion() != org.eclipse.jetty.http.HttpVersion.HTTP_1_1
                || !headers.contains(HttpHeader.UPGRADE)) {
            return false;
        }
        if (request.getLength() > 0 || headers.contains(HttpHeader.TRANSFER_ENCODING)) {
            return false; // a body goes as a plain request's, by Jetty's client; the Upgrade stays behind (RFC 9110 7.8)
        }
        for (String value : headers.getValuesList(HttpHeader.CONNECTION)) {
            for (String token : value.split(",")) {
                if (token.trim().equalsIgnoreCase("upgrade")) {
                    return true;
                }
            }
        }
        return false;
    }

    void start() {
        try {
            begin();
        } catch (RuntimeException | Error e) {
            internalFailure(e);
        }
    }

    /**
     * The gateway's own code threw (a defect): this request alone fails, once, as a plain
     * exchange's does ({@link Exchange#internalFailure}): logged, counted as
     * {@link ProxyError#INTERNAL}, its lease let go of as {@link Lease.Failure#CANCELLED} (the
     * gateway's defect says nothing of the replica), its replica connection closed, and 502 (or
     * its connection aborted). What the replica's connection reports afterwards is ignored.
     */
    private void internalFailure(Throwable failure) {
        UserCode.rethrowIfFatal(failure);
        if (!broken.compareAndSet(false, true)) {
            return;
        }
        LOG.warn("forwarding the upgrade {} {} failed", request.getMethod(), request.getHttpURI().getPath(), failure);
        metrics.error(ProxyError.INTERNAL);
        long now = LeaseOutcomes.nowOr(routerClock, leasedAtNanos, this);
        LeaseOutcomes.fail(lease, Lease.Failure.CANCELLED, now, true, this);
        UpgradeReplicaConnection connection = replica;
        if (connection != null) {
            connection.close();
        }
        if (response.isCommitted()) {
            end.abort(failure);
        } else {
            end.reply(GatewayReply.GATEWAY_FAILED);
        }
    }


    /** Runs {@code step}, an entry point from Jetty or the replica's connection, unless the exchange broke; its defect ends the exchange. */
    private void guarded(Runnable step) {
        if (broken.get()) {
            return; // the exchange answered for itself, its lease let go of
        }
        try {
            step.run();
        } catch (RuntimeException | Error e) {
            internalFailure(e);
        }
    }


    private void begin() {
        request.addFailureListener(failure -> {
            UpgradeReplicaConnection connection = replica;
            if (connection != null && !tunnelled) {
                connection.cancel(new Failures.ClientGoneException(failure));
            }
        });
        // as a plain exchange's: the host's idle timeout bounds the client's silence, not the
        // replica's while it has the whole request (responseTimeout bounds that)
        request.addIdleTimeoutListener(timeout -> false);
        rules.start(Method.of(request.getMethod()).isIdempotent());
        attempt(null);
    }

    private void attempt(Backend excluded) {
        boolean leased;
        try {
            long now = routerClock.nanoTime();
            leasedAtNanos = now;
            leased = excluded == null ? lease.acquire(route, null, now) : rules.leaseOther(lease, route, excluded, now);
        } catch (RuntimeException | Error e) { // a user's router
            UserCode.rethrowIfFatal(e);
            LOG.warn("routing the upgrade {} {} failed", request.getMethod(), request.getHttpURI().getPath(), e);
            end.reply(GatewayReply.GATEWAY_FAILED);
            return;
        }
        if (!leased) {
            if (excluded == null) {
                metrics.error(ProxyError.NO_REPLICA);
            }
            end.reply(excluded == null ? GatewayReply.NO_REPLICA : GatewayReply.NO_OTHER_REPLICA);
            return;
        }
        try {
            connect(lease.backend());
        } catch (RuntimeException | Error e) {
            internalFailure(e);
        }
    }

    private void connect(Backend backend) {
        ByteBuffer head = UpgradeHead.of(request, backend.endpoint().authority());
        Map<String, Object> context = new HashMap<>();
        context.put(ClientConnectionFactory.CONTEXT_KEY, (ClientConnectionFactory) (endPoint, ignored) -> {
            UpgradeReplicaConnection connection = new UpgradeReplicaConnection(endPoint,
                    proxy.replicas().client().getExecutor(), this, head);
            replica = connection;
            return connection;
        });
        context.put(ClientConnector.CONNECTION_PROMISE_CONTEXT_KEY, this);
        context.put(Transport.CONTEXT_KEY, Transport.TCP_IP);
        attemptStartNanos = proxy.settings().clock().nanoTime();
        InetSocketAddress address = new InetSocketAddress(backend.endpoint().host(), backend.endpoint().port());
        proxy.replicas().connector().connect(address, context);
    }

    /** The connection to the replica is open (it sends the head itself). */
    @Override
    public void succeeded(Connection connection) {
    }

    /** The connection to the replica could not be opened: another replica, as for any request. */
    @Override
    public void failed(Throwable failure) {
        guarded(() -> connectFailed(failure));
    }

    private void connectFailed(Throwable failure) {
        Backend backend = lease.backend();
        LeaseOutcomes.fail(lease, Lease.Failure.CONNECT, routerClock.nanoTime(), false, this);
        outcome(backend, 0);
        metrics.error(ProxyError.CONNECT);
        if (rules.takeConnectRetry(true)) {
            metrics.retry();
            attempt(backend);
        } else {
            end.reply(GatewayReply.NO_REPLICA_ACCEPTED);
        }
    }

    /** The replica switched protocols: the 101 goes to the client, whose connection then joins a tunnel. */
    void switched(ResponseHead answer, UpgradeReplicaConnection connection) {
        guarded(() -> switchNow(answer, connection));
    }

    private void switchNow(ResponseHead answer, UpgradeReplicaConnection connection) {
        switchedAt = routerClock.nanoTime();
        switchedGatewayNanos = proxy.settings().clock().nanoTime();
        tunnelled = true;
        end.switched(switchedGatewayNanos);
        long idle = proxy.settings().tunnelIdleTimeout().toMillis();
        EndPoint clientEnd = request.getConnectionMetaData().getConnection().getEndPoint();
        // half-closed, the tunnel keeps the host connector's idle timeout for a client's silence
        long clientIdle = clientEnd.getIdleTimeout() > 0 ? clientEnd.getIdleTimeout() : idle;
        EmbeddedTunnel tunnel = new EmbeddedTunnel(this, Math.min(idle, clientIdle));
        this.tunnel = tunnel;
        connection.becomeTunnel(tunnel, idle);
        response.setStatus(101);
        UpgradeHead.copyResponse(answer, response.getHeaders(), true);
        response.getHeaders().put(HttpHeader.CONNECTION, "Upgrade");
        Connection clientSide = new UpgradeClientConnection(clientEnd, proxy.getServer().getThreadPool(), tunnel,
                connection, idle);
        request.setAttribute(HttpStream.UPGRADE_CONNECTION_ATTRIBUTE, clientSide);
        metrics.tunnelOpened();
        proxy.tunnels().opened(tunnel);
        tunnelCounted = true;
        end.sendSwitch(tunnel::close);
    }

    @Override
    public void tunnelClosed(long toClient, long toReplica) {
        if (tunnelCounted) {
            metrics.tunnelClosed();
            proxy.tunnels().closed(tunnel);
        }
        guarded(() -> endTunnel(toClient));
    }

    private void endTunnel(long toClient) {
        Backend backend = lease.backend();
        if (lease.isHeld()) {
            LeaseOutcomes.complete(lease, 101, switchedAt, this);
            metrics.outcome(backend, 101, switchedGatewayNanos, switchedGatewayNanos - attemptStartNanos);
        }
        end.tunnelClosed(toClient, backend);
    }

    /** The replica answered without switching: relayed as a normal response. */
    void responded(ResponseHead answer, byte[] body) {
        guarded(() -> relay(answer, body));
    }

    private void relay(ResponseHead answer, byte[] body) {
        Backend backend = lease.backend();
        LeaseOutcomes.complete(lease, answer.status(), routerClock.nanoTime(), this);
        outcome(backend, answer.status());
        end.relay(answer, body, backend, isHeadRequest());
    }

    /**
     * The replica failed before its answer was whole, or the client left meanwhile (then the
     * lease is {@link Lease.Failure#CANCELLED}, as a plain exchange's, and nobody is answered).
     */
    void replicaFailed(Throwable failure) {
        guarded(() -> settleFailure(failure));
    }

    private void settleFailure(Throwable failure) {
        Backend backend = lease.backend();
        Lease.Failure kind = Failures.classify(failure);
        LeaseOutcomes.fail(lease, kind, routerClock.nanoTime(), false, this);
        outcome(backend, 0);
        if (kind == Lease.Failure.CANCELLED) {
            metrics.error(ProxyError.CANCELLED);
            end.clientGone(backend, failure);
            return;
        }
        metrics.error(kind == Lease.Failure.TIMEOUT ? ProxyError.TIMEOUT : ProxyError.RESET);
        end.reply(GatewayReply.forFailure(kind));
    }

    /** Records what the replica did with the attempt ({@code status} 0: it failed), ending now. */
    private void outcome(Backend backend, int status) {
        long now = proxy.settings().clock().nanoTime();
        metrics.outcome(backend, status, now, now - attemptStartNanos);
    }

    long responseTimeoutMillis() {
        return proxy.settings().responseTimeout().toMillis();
    }

    boolean isHeadRequest() {
        return route.isHead();
    }

    /** The request, as log lines name it. */
    @Override
    public String toString() {
        return "the upgrade " + request.getHttpURI().getPath();
    }
}
