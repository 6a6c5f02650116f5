package io.longshore.jetty.internal.engine;

import io.longshore.api.Backend;
import io.longshore.api.internal.UserCode;
import io.longshore.core.Lease;
import io.longshore.jetty.internal.codec.RequestHead;
import io.longshore.jetty.internal.metrics.ProxyError;
import io.longshore.jetty.internal.policy.GatewayReply;
import io.longshore.jetty.internal.policy.RetryRules;
import io.longshore.jetty.internal.policy.WaitingRequest;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replica's side of one {@link ProxyExchange}, across its attempts: leases a replica per
 * attempt (its {@link ReplicaLease} reports each attempt's outcome), gets a connection from the
 * worker's pool, and turns a failure into a retry where the gateway's {@link RetryRules} allow one
 * (and no response byte has reached the client) or into the gateway's own
 * {@link GatewayReply answer}. With no room on any replica the request waits in the route's
 * waiting line ({@link WaitingRequest}, through {@link LineWait}) instead of blocking the loop.
 * One per exchange, reused; confined to the worker's thread.
 */
final class ReplicaAttempt {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaAttempt.class);

    private final ProxyExchange exchange;
    private final ProxyWorker worker;
    private final EngineContext context;
    private final RequestHead request;
    private final RequestForwarder requestForwarder;
    private final ResponseForwarder responseForwarder;
    private final ReplicaLease replica;
    private final RetryRules rules;
    private final WaitingRequest waiting;
    private UpstreamConnection upstream;
    private UpstreamPool.Connect connect;
    private UpstreamPool waitingIn;
    private int generation;
    /** Counts the waits for a free connection, so a wait's timer acts only on its own wait. */
    private int waits;
    private long connectStart = -1;
    private long connectNanos = -1;

    ReplicaAttempt(ProxyExchange exchange, ProxyWorker worker, RequestForwarder requestForwarder,
                   ResponseForwarder responseForwarder) {
        this.exchange = exchange;
        this.worker = worker;
        this.context = worker.context();
        this.request = exchange.request();
        this.requestForwarder = requestForwarder;
        this.responseForwarder = responseForwarder;
        this.replica = new ReplicaLease(context);
        this.rules = new RetryRules(context.budget, context.settings.maxRetryBackoff().toMillis(), worker.random());
        this.waiting = new WaitingRequest(exchange, new LineWait(this, exchange, worker));
    }

    /** A new request on {@code route}; the first attempt starts at {@code startNanos} of the gateway's clock. */
    void begin(int route, long startNanos) {
        generation++;
        connectNanos = -1;
        rules.start(request.method().isIdempotent(), request.isUpgrade());
        replica.begin(route);
        waiting.begin(context.room(route), replica.metrics(), replica.lease(), replica.routerClock());
        if (waiting.mustQueue()) {
            waiting.hold(replica.routerNanos(startNanos)); // behind the requests already waiting
        } else {
            attempt(null, 502, replica.routerNanos(startNanos));
        }
    }

    boolean isHeld() {
        return replica.isHeld();
    }

    /** The {@code Set-Cookie} line the response of the held replica needs (sticky sessions), or null. */
    byte[] stickyLine() {
        return replica.stickyLine(exchange);
    }

    /** Leases a replica (other than {@code excluded}) and asks its pool for a connection. */
    private void attempt(Backend excluded, int fallbackStatus, long now) {
        boolean leased;
        try {
            leased = replica.acquire(exchange, excluded, rules, now);
        } catch (RuntimeException | Error e) { // a user's router
            UserCode.rethrowIfFatal(e);
            LOG.warn("routing {} {} failed", request.methodName(), request.path(), e);
            exchange.reply(GatewayReply.GATEWAY_FAILED);
            return;
        }
        if (!leased) {
            if (excluded == null && waiting.mayHold()) {
                waiting.hold(now);
            } else if (excluded == null) {
                replica.error(ProxyError.NO_REPLICA);
                exchange.reply(GatewayReply.NO_REPLICA);
            } else {
                exchange.reply(GatewayReply.noOtherReplica(fallbackStatus));
            }
            return;
        }
        connect(now);
    }

    /** The lease is held from {@code now} of the router's clock: the attempt starts, on to a connection. */
    private void connect(long now) {
        replica.attemptStarted(now);
        if (LOG.isTraceEnabled()) {
            LOG.trace("{} {} -> {}", request.methodName(), request.path(), replica.backend());
        }
        connectStart = context.accessLog == null ? -1 : exchange.now();
        worker.pool(replica.backend().endpoint()).acquire(this);
    }

    /** The request leased a replica after waiting in the line: on to its connection. */
    void leasedAfterWaiting(long now) {
        connect(now);
    }

    /** The replica's response head arrived (the end of a cold start when the request waited for one). */
    void responseBegun() {
        waiting.responseBegun();
    }

    // ---- the pool's answers ----

    /**
     * The pool opens a connection for this attempt (at once, or when a place in its line came
     * free): the wait in line, if any, is over, and Jetty's connect timeout bounds the connect.
     */
    void connecting(UpstreamPool.Connect pending) {
        connect = pending;
        waitingIn = null;
    }

    /**
     * The pool has no free connection; wait at most the connect timeout for one. A wait that
     * times out goes on as a refused connect, except that its lease is reported
     * {@link Lease.Failure#CANCELLED}: every connection to the replica being in use is the
     * gateway's own limit, not a failure of the replica's (a replica that stops answering fails
     * the attempts it holds).
     */
    void waitingForConnection() {
        int seen = generation;
        int wait = ++waits;
        UpstreamPool pool = worker.pool(replica.backend().endpoint());
        waitingIn = pool;
        worker.schedule(() -> {
            if (seen == generation && wait == waits && waitingIn == pool) {
                pool.cancel(this, null);
                waitingIn = null;
                noConnection(Lease.Failure.CANCELLED,
                        new SocketTimeoutException("no free connection to the replica in time"));
            }
        }, context.settings.connectTimeout().toMillis());
    }

    void upstreamReady(UpstreamConnection connection) {
        if (connectStart >= 0) {
            connectNanos = exchange.now() - connectStart;
        }
        connect = null;
        waitingIn = null;
        if (!isHeld()) {
            connection.pool().release(connection);
            return;
        }
        upstream = connection;
        connection.attach(this);
        requestForwarder.startAttempt(connection, connection.pool().hostLine(), worker.buffers());
        responseForwarder.startAttempt(connection);
        requestForwarder.pump();
        connection.wantInput(); // the answer comes later: reading now would only find nothing
    }

    /** Nothing reached the replica: any method may go elsewhere. */
    void connectFailed(Throwable failure) {
        noConnection(Lease.Failure.CONNECT, failure);
    }

    /** The attempt got no connection; its lease is reported as {@code kind}, and any method may go elsewhere. */
    private void noConnection(Lease.Failure kind, Throwable failure) {
        connect = null;
        if (!isHeld()) {
            return;
        }
        Backend backend = replica.backend();
        long now = end(kind);
        replica.error(ProxyError.CONNECT);
        LOG.debug("connect to {} failed: {}", backend, failure.toString());
        if (rules.takeConnectRetry(requestForwarder.isReplayable())) {
            replica.retried();
            attempt(backend, 502, now);
        } else {
            exchange.reply(GatewayReply.NO_REPLICA_ACCEPTED);
        }
    }

    // ---- the connection's events ----

    void upstreamWritten() {
        requestForwarder.written();
    }

    void upstreamReadable() {
        responseForwarder.pump();
    }

    /**
     * Writing the request failed: the replica closed or reset the connection, possibly after
     * answering early (a 413 before reading the body, say). Stop sending and read what it
     * sent; only when there is no answer does the attempt fail.
     */
    void upstreamWriteFailed(Throwable failure) {
        if (upstream == null) {
            return;
        }
        LOG.trace("writing to the replica failed: {}", failure.toString());
        requestForwarder.abandon();
        responseForwarder.pump();
    }

    /** The replica's connection broke (reset, closed early). */
    void upstreamFailed(Throwable failure) {
        if (upstream != null) {
            fail(failure instanceof TimeoutException ? Lease.Failure.TIMEOUT : Lease.Failure.RESET);
        }
    }

    /**
     * The replica was silent for the response timeout: the attempt fails, unless the replica is
     * silent because the client is (it sends its body, or reads the response, slowly), which the
     * client's own idle timeout bounds.
     */
    void upstreamTimedOut() {
        if (upstream != null && !requestForwarder.waitsForClient() && !responseForwarder.waitsForClient()) {
            fail(Lease.Failure.TIMEOUT);
        }
    }

    /** The replica's response could not be parsed. */
    void badResponse() {
        fail(Lease.Failure.RESET);
    }

    private void fail(Lease.Failure kind) {
        LOG.trace("attempt failed: {}", kind);
        if (kind == Lease.Failure.RESET && upstream != null && rules.takeStaleRetry(upstream.wasReused(),
                responseForwarder.receivedNothing(), requestForwarder.isReplayable())) {
            retryOnNewConnection(); // a pooled connection the replica had just closed says nothing about it
            return;
        }
        Backend backend = replica.backend();
        long now = end(kind);
        replica.error(kind == Lease.Failure.TIMEOUT ? ProxyError.TIMEOUT : ProxyError.RESET);
        if (responseForwarder.isCommitted()) {
            exchange.finishAborted();
        } else if (rules.takeRetryElsewhere(replica.router(), backend, requestForwarder.isReplayable())) {
            retryLater(backend, GatewayReply.statusOf(kind), now);
        } else {
            exchange.reply(GatewayReply.forFailure(kind));
        }
    }

    private void retryOnNewConnection() {
        replica.retried();
        UpstreamPool pool = upstream.pool();
        release(false);
        pool.connectNew(this);
    }

    /** Whether a 502/503/504 just parsed may be retried on another replica (the retry is taken when so). */
    boolean mayRetryAfterStatus() {
        return rules.takeRetryElsewhere(replica.router(), replica.backend(), requestForwarder.isReplayable());
    }

    /** Retries after a 502/503/504 ({@link #mayRetryAfterStatus} said yes). */
    void retryAfterStatus(int status, boolean connectionReusable) {
        Backend backend = replica.backend();
        long now = replica.answeredNow(status);
        release(connectionReusable && requestForwarder.isDelivered());
        retryLater(backend, status, now);
    }

    private void retryLater(Backend failed, int fallbackStatus, long now) {
        replica.retried();
        long pause = rules.pauseMillis();
        if (pause == 0) {
            attempt(failed, fallbackStatus, now);
            return;
        }
        int seen = generation;
        worker.schedule(() -> {
            if (seen == generation) {
                attempt(failed, fallbackStatus, replica.routerClock().nanoTime());
            }
        }, pause);
    }

    /** The replica's whole response arrived at {@code gatewayNanos}: its lease is reported. */
    void replicaAnswered(long gatewayNanos) {
        if (!isHeld()) {
            return;
        }
        replica.answeredAt(responseForwarder.status(), gatewayNanos);
    }

    // ---- what the access log reads ----

    /** The attempts' lease: their replica, its answer and the retries. */
    ReplicaLease replica() {
        return replica;
    }

    /** How long the last attempt waited for its connection (when the access log is on), else -1. */
    long connectNanos() {
        return connectNanos;
    }

    /** The whole response reached the client: the connection goes back to its pool or closes. */
    void responseComplete(boolean connectionReusable) {
        LOG.trace("response complete, connection reusable: {}", connectionReusable);
        release(connectionReusable && requestForwarder.isDelivered());
    }

    /**
     * The replica switched protocols: its connection leaves the attempt (and its pool) for a
     * tunnel. The lease stays held, so the replica counts the tunnel in flight until it closes.
     */
    UpstreamConnection switchToTunnel() {
        replica.switched(); // first: should it fail, the attempt still holds its connection for the fault to end
        UpstreamConnection connection = upstream;
        upstream = null;
        requestForwarder.stopAttempt();
        responseForwarder.stopAttempt();
        return connection;
    }

    /** The gateway's own code failed on the replica's connection: the exchange ends ({@link ProxyExchange#fault}). */
    void fault() {
        exchange.fault();
    }

    /** The replica failed after the client got part of the response: only closing is left. */
    void abort(Throwable failure) {
        LOG.debug("aborting {} {}: {}", request.methodName(), request.path(), failure.toString());
        if (isHeld()) {
            end(Lease.Failure.RESET);
            replica.error(ProxyError.RESET);
        }
        exchange.finishAborted();
    }

    /** The exchange ends without an answer from the replica (the client left, the body was refused). */
    void cancel() {
        waiting.leave();
        if (isHeld()) {
            end(Lease.Failure.CANCELLED);
        }
        release(false);
        generation++;
    }

    /**
     * The exchange could not be ended the usual way ({@link #cancel} may be what failed): as
     * {@link #cancel}, each step guarded so the others still happen, the lease reported
     * {@link Lease.Failure#CANCELLED} when it is still held (once: a report already made left
     * it free).
     */
    void abandon() {
        generation++;
        try {
            waiting.leave();
        } catch (RuntimeException e) {
            LOG.warn("leaving the waiting line failed", e);
        }
        try {
            replica.abandon();
        } finally {
            release(false);
        }
    }

    /**
     * Reports the current attempt's failure to its lease and lets go of its connection;
     * returns the router clock's time it used.
     */
    private long end(Lease.Failure kind) {
        long now = replica.failed(kind);
        release(false);
        return now;
    }

    /** Lets go of the connection: back to its pool when {@code reusable}, closed otherwise. */
    void release(boolean reusable) {
        if (connect != null) {
            connect.pool.cancel(this, connect);
            connect = null;
        }
        if (waitingIn != null) {
            waitingIn.cancel(this, null);
            waitingIn = null;
        }
        UpstreamConnection connection = upstream;
        upstream = null;
        requestForwarder.stopAttempt();
        responseForwarder.stopAttempt();
        if (connection == null) {
            return;
        }
        if (reusable) {
            connection.pool().release(connection);
        } else {
            connection.attach(null);
            connection.close();
        }
    }
}
