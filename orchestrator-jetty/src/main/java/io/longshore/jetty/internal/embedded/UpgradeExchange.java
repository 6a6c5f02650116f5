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
import io.longshore.jetty.internal.policy.RetryRules;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.io.ClientConnectionFactory;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Promise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One upgrade request (a WebSocket handshake, say) through the embedded gateway: leases a
 * replica through its {@link RequestLease}, opens a connection of its own to it (never pooled)
 * and sends the request with its {@code Upgrade}; a 101 is passed to the client and the host
 * server hands the client's connection over, and the two become an {@link EmbeddedTunnel}
 * ({@link UpgradeSwitch}) that stays in flight (and keeps the replica's lease) until it closes.
 * Any other answer is relayed as a normal response. A
 * refused connection goes to another replica as for any request. It ends, once, through its
 * {@link UpgradeEnd}. Every entry point from Jetty and the replica's connection is guarded as a
 * plain exchange's is: the gateway's own code throwing ends it through {@link #internalFailure}.
 * Thread-safe.
 */
final class UpgradeExchange implements Promise<Connection>, EmbeddedTunnel.Owner {
    private static final Logger LOG = LoggerFactory.getLogger(UpgradeExchange.class);
    private final EmbeddedProxy proxy;
    private final Router router;
    private final ServiceMetrics metrics;
    private final Request request;
    private final HostRequest route;
    private final Response response;
    private final RequestLease lease;
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
    /** Set once the gateway's own code threw on this exchange ({@link #internalFailure}). */
    private final AtomicBoolean broken = new AtomicBoolean();

    UpgradeExchange(EmbeddedProxy proxy, Router router, ServiceMetrics metrics, Request request, Response response,
                    Callback callback) {
        this.proxy = proxy;
        this.router = router;
        Clock routerClock = router.clock();
        this.metrics = metrics;
        this.request = request;
        this.route = new HostRequest(request);
        this.response = response;
        this.lease = new RequestLease(router.newLease(), routerClock, this);
        this.rules = new RetryRules(proxy.budget(), 0, proxy.random());
        this.end = new UpgradeEnd(proxy, metrics, request, response, callback,
                proxy.settings().clock().nanoTime());
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
        lease.cancelForDefect();
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
            leased = lease.acquire(route, excluded, rules);
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
        ReplicaClient replicas = proxy.replicas();
        ClientConnectionFactory connections = (endPoint, ignored) -> {
            UpgradeReplicaConnection connection = new UpgradeReplicaConnection(endPoint,
                    replicas.client().getExecutor(), this, head);
            replica = connection;
            return connection;
        };
        attemptStartNanos = proxy.settings().clock().nanoTime();
        replicas.connectOwn(backend.endpoint(), connections, this);
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
        lease.fail(Lease.Failure.CONNECT);
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
        switchedAt = lease.now();
        switchedGatewayNanos = proxy.settings().clock().nanoTime();
        tunnelled = true;
        end.switched(switchedGatewayNanos);
        EmbeddedTunnel tunnel = UpgradeSwitch.wire(proxy, this, request, response, answer, connection);
        this.tunnel = tunnel;
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
            lease.complete(101, switchedAt);
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
        lease.complete(answer.status());
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
        lease.fail(kind);
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
