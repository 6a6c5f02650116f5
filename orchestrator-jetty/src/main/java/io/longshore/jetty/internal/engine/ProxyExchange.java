package io.longshore.jetty.internal.engine;

import io.longshore.api.Backend;
import io.longshore.api.RouteRequest;
import io.longshore.core.Lease;
import io.longshore.core.Router;
import io.longshore.jetty.internal.ProxyError;
import io.longshore.jetty.internal.ServiceMetrics;
import io.longshore.jetty.internal.http.Method;
import io.longshore.jetty.internal.http.RequestHead;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client request on its way through the engine, across its attempts: routes it, sheds
 * load, leases a replica per attempt and reports each attempt's outcome to its lease exactly
 * once, retries where that is safe (a refused connection always; a reset, timeout or
 * 502/503/504 for idempotent requests within the retry budget, before any response byte
 * reached the client), answers itself when no replica can, and hands the client connection
 * back when done. It is also the router's view of the request. One per client connection,
 * reused request after request; confined to the worker's thread.
 */
final class ProxyExchange implements RouteRequest {
    /** Connect failures retried on other replicas before giving up with 502. */
    static final int MAX_CONNECT_RETRIES = 2;
    private static final Logger LOG = LoggerFactory.getLogger(ProxyExchange.class);

    private final ProxyWorker worker;
    private final EngineContext context;
    private final DownstreamConnection client;
    private final RequestHead request;
    private final RequestForwarder requestForwarder;
    private final ResponseForwarder responseForwarder;
    private boolean active;
    private int generation;
    private Router router;
    private ServiceMetrics metrics;
    private long startNanos;
    private boolean admitted;
    private boolean replying;
    private boolean replyCloses;
    private Lease lease;
    private UpstreamConnection upstream;
    private UpstreamPool.Connect connect;
    private UpstreamPool waitingIn;
    private int connectRetries;
    private boolean retried;
    private boolean staleRetried;
    private Backend lastFailed;

    ProxyExchange(ProxyWorker worker, DownstreamConnection client) {
        this.worker = worker;
        this.context = worker.context();
        this.client = client;
        this.request = new RequestHead(context.settings.maxHeaderBytes());
        this.requestForwarder = new RequestForwarder(this, client, request);
        this.responseForwarder = new ResponseForwarder(this, client);
    }

    RequestHead request() {
        return request;
    }

    ProxyWorker worker() {
        return worker;
    }

    /** The head was parsed and consumed from the client's input; forward the request. */
    void start() {
        active = true;
        generation++;
        replying = false;
        connectRetries = 0;
        retried = false;
        staleRetried = false;
        lastFailed = null;
        startNanos = context.settings.clock().nanoTime();
        requestForwarder.startRequest();
        responseForwarder.startRequest();
        int route = context.match(request.bytes(), request.pathStart(), request.pathEnd());
        if (route < 0) {
            metrics = null;
            reply(GatewayReply.NOT_FOUND);
            return;
        }
        router = context.router(route);
        metrics = context.metrics(route);
        if (!context.admit()) {
            metrics.error(ProxyError.OVERLOADED);
            reply(GatewayReply.OVERLOADED);
            return;
        }
        admitted = true;
        if (request.contentLength() > maxBodyBytes()) {
            metrics.error(ProxyError.BODY_TOO_LARGE);
            reply(GatewayReply.BODY_TOO_LARGE);
            return;
        }
        context.budget.deposit();
        attempt(null, 502);
    }

    /** Leases a replica (other than {@code excluded}) and asks its pool for a connection. */
    private void attempt(Backend excluded, int fallbackStatus) {
        Optional<Lease> leased;
        try {
            leased = excluded == null ? router.lease(this) : leaseOther(excluded);
        } catch (RuntimeException e) {
            LOG.warn("routing {} {} failed", request.methodName(), request.path(), e);
            reply(GatewayReply.GATEWAY_FAILED);
            return;
        }
        if (leased.isEmpty()) {
            if (excluded == null) {
                metrics.error(ProxyError.NO_REPLICA);
                reply(GatewayReply.NO_REPLICA);
            } else {
                reply(GatewayReply.noOtherReplica(fallbackStatus));
            }
            return;
        }
        lease = leased.get();
        if (LOG.isTraceEnabled()) {
            LOG.trace("{} {} -> {}", request.methodName(), request.path(), lease.backend());
        }
        UpstreamPool pool = worker.pool(lease.backend().endpoint());
        pool.acquire(this);
    }

    /**
     * A lease on a replica other than {@code failed}, and other than the one that failed
     * before it when the router offers that one again (that lease goes back as cancelled).
     */
    private Optional<Lease> leaseOther(Backend failed) {
        Backend earlier = lastFailed;
        lastFailed = failed;
        for (int tries = 0; tries < 2; tries++) {
            Optional<Lease> next = router.leaseExcluding(this, failed);
            if (next.isEmpty() || earlier == null || !next.get().backend().id().equals(earlier.id())) {
                return next;
            }
            next.get().fail(Lease.Failure.CANCELLED);
        }
        return Optional.empty();
    }

    // ---- the pool's answers ----

    void connecting(UpstreamPool.Connect pending) {
        connect = pending;
    }

    /** The pool has no free connection; wait at most the connect timeout for one. */
    void waitingForConnection() {
        int seen = generation;
        UpstreamPool pool = worker.pool(lease.backend().endpoint());
        waitingIn = pool;
        worker.schedule(() -> {
            if (active && seen == generation && waitingIn == pool) {
                pool.cancel(this, null);
                waitingIn = null;
                connectFailed(new SocketTimeoutException("no free connection to the replica in time"));
            }
        }, context.settings.connectTimeout().toMillis());
    }

    void upstreamReady(UpstreamConnection connection) {
        connect = null;
        waitingIn = null;
        if (!active || lease == null) {
            connection.pool().release(connection);
            return;
        }
        upstream = connection;
        connection.attach(this);
        requestForwarder.startAttempt(connection, connection.pool().hostLine(), worker.buffers());
        responseForwarder.startAttempt(connection);
        requestForwarder.pump();
        if (upstream == connection) {
            responseForwarder.pump(); // bytes may already wait (a reused connection)
        }
    }

    /** Nothing reached the replica: any method may go elsewhere. */
    void connectFailed(Throwable failure) {
        connect = null;
        if (!active || lease == null) {
            return;
        }
        Backend backend = lease.backend();
        endAttempt(Lease.Failure.CONNECT, 0);
        metrics.error(ProxyError.CONNECT);
        LOG.debug("connect to {} failed: {}", backend, failure.toString());
        if (connectRetries < MAX_CONNECT_RETRIES && requestForwarder.isReplayable()) {
            connectRetries++;
            metrics.retry();
            attempt(backend, 502);
        } else {
            reply(GatewayReply.NO_REPLICA_ACCEPTED);
        }
    }

    // ---- events of the attempt ----

    void upstreamWritten() {
        requestForwarder.written();
    }

    void upstreamReadable() {
        responseForwarder.pump();
    }

    void requestSent() {
        LOG.trace("request sent");
        if (client.input().hasRoom()) {
            client.wantInput(); // to hear of a client that goes away
        }
    }

    /**
     * Writing the request failed: the replica closed or reset the connection, possibly after
     * answering early (a 413 before reading the body, say). Stop sending and read what it
     * sent; only when there is no answer does the attempt fail.
     */
    void upstreamWriteFailed(Throwable failure) {
        if (!active || upstream == null) {
            return;
        }
        LOG.trace("writing to the replica failed: {}", failure.toString());
        requestForwarder.abandon();
        responseForwarder.pump();
    }

    /** The replica's connection broke (reset, closed early). */
    void upstreamFailed(Throwable failure) {
        if (!active || upstream == null) {
            return;
        }
        failAttempt(failure instanceof TimeoutException ? Lease.Failure.TIMEOUT : Lease.Failure.RESET);
    }

    /** The replica was silent for the response timeout. */
    void upstreamTimedOut(TimeoutException timeout) {
        if (!active || upstream == null) {
            return;
        }
        if (requestForwarder.waitsForClient()) {
            clientTimedOut();
        } else if (!responseForwarder.waitsForClient()) {
            failAttempt(Lease.Failure.TIMEOUT);
        } // else the replica is silent because the client reads slowly: its own timeout applies

    }

    /** The replica's response could not be parsed. */
    void badResponse() {
        failAttempt(Lease.Failure.RESET);
    }

    private void failAttempt(Lease.Failure kind) {
        LOG.trace("attempt failed: {}", kind);
        if (kind == Lease.Failure.RESET && isStale()) {
            retryOnNewConnection();
            return;
        }
        Backend backend = lease.backend();
        boolean timeout = kind == Lease.Failure.TIMEOUT;
        endAttempt(kind, 0);
        metrics.error(timeout ? ProxyError.TIMEOUT : ProxyError.RESET);
        if (responseForwarder.isCommitted()) {
            finishAborted();
        } else if (mayRetry(backend)) {
            retryLater(backend, timeout ? 504 : 502);
        } else {
            reply(timeout ? GatewayReply.REPLICA_TIMED_OUT : GatewayReply.REPLICA_FAILED);
        }
    }

    /**
     * Whether the attempt failed because its pooled connection had been closed by the replica
     * just before it was reused (the replica sent nothing, not even a status line): that says
     * nothing about the replica, so an idempotent request goes again on a new connection to
     * the same replica, once, without touching its lease.
     */
    private boolean isStale() {
        return !staleRetried && upstream != null && upstream.wasReused() && responseForwarder.receivedNothing()
                && request.method().isIdempotent() && requestForwarder.isReplayable();
    }

    private void retryOnNewConnection() {
        staleRetried = true;
        metrics.retry();
        UpstreamPool pool = upstream.pool();
        releaseUpstream(false);
        pool.connectNew(this);
    }

    /** Whether a 502/503/504 just parsed may be retried on another replica. */
    boolean mayRetryAfterStatus() {
        return mayRetry(lease.backend());
    }

    /** Retries after a 502/503/504 ({@link #mayRetryAfterStatus} said yes). */
    void retryAfterStatus(int status, boolean connectionReusable) {
        Backend backend = lease.backend();
        lease.complete(status);
        metrics.outcome(backend, status);
        lease = null;
        releaseUpstream(connectionReusable);
        retryLater(backend, status);
    }

    /**
     * Whether an attempt on {@code failed} may go once more to another replica: an idempotent
     * method, a body still whole, no retry yet, another routable replica, and budget left.
     */
    private boolean mayRetry(Backend failed) {
        return !retried && request.method().isIdempotent() && requestForwarder.isReplayable()
                && hasOtherRoutable(failed) && context.budget.tryWithdraw();
    }

    private boolean hasOtherRoutable(Backend failed) {
        for (Backend backend : router.routable()) {
            if (!backend.id().equals(failed.id())) {
                return true;
            }
        }
        return false;
    }

    private void retryLater(Backend failed, int fallbackStatus) {
        retried = true;
        metrics.retry();
        long maxPause = context.settings.maxRetryBackoff().toMillis();
        long pause = maxPause == 0 ? 0 : context.settings.random().nextLong(maxPause + 1);
        if (pause == 0) {
            attempt(failed, fallbackStatus);
            return;
        }
        int seen = generation;
        worker.schedule(() -> {
            if (active && seen == generation) {
                attempt(failed, fallbackStatus);
            }
        }, pause);
    }

    /** The whole response reached the client. */
    void responseComplete(boolean connectionReusable) {
        LOG.trace("response complete, connection reusable: {}", connectionReusable);
        int status = responseForwarder.status();
        Backend backend = lease.backend();
        lease.complete(status);
        metrics.outcome(backend, status);
        lease = null;
        releaseUpstream(connectionReusable && requestForwarder.isFinished());
        finish(responseForwarder.keepsClient() && requestForwarder.isFinished());
    }

    /** The replica failed after the client got part of the response: only closing is left. */
    void abort(Throwable failure) {
        LOG.debug("aborting {} {}: {}", request.methodName(), request.path(), failure.toString());
        if (lease != null) {
            endAttempt(Lease.Failure.RESET, 0);
            metrics.error(ProxyError.RESET);
        }
        finishAborted();
    }

    // ---- the client's side ----

    void clientReadable() {
        if (!active) {
            return;
        }
        if (upstream != null && !requestForwarder.isFinished()) {
            requestForwarder.pump();
            return;
        }
        IoBuffer in = client.input();
        if (!in.hasRoom()) {
            return; // pipelined requests filled the buffer: wait for the response to finish
        }
        if (client.fill() < 0) {
            clientGone();
        }
    }

    void clientWritten() {
        if (replying) {
            finish(!replyCloses);
        } else {
            responseForwarder.written();
        }
    }

    /** The client went away or its connection broke: nothing more can be done for it. */
    void clientGone() {
        if (!active) {
            return;
        }
        if (lease != null) {
            endAttempt(Lease.Failure.CANCELLED, 0);
        }
        if (metrics != null) {
            metrics.error(ProxyError.CANCELLED);
        }
        finishAborted();
    }

    /**
     * The client was silent for its idle timeout: if it stopped sending its body it gets 408;
     * if it stopped reading the response it is given up; while the replica works, the
     * replica's timeout applies instead.
     */
    void clientTimedOut() {
        if (!active) {
            return;
        }
        if (requestForwarder.waitsForClient()) {
            if (lease != null) {
                endAttempt(Lease.Failure.CANCELLED, 0);
            }
            reply(GatewayReply.REQUEST_TIMEOUT);
        } else if (client.isWriting()) {
            clientGone();
        }
    }

    /** The request body broke the framing rules or the size limit. */
    void requestBodyFailed(GatewayReply reply) {
        if (lease != null) {
            endAttempt(Lease.Failure.CANCELLED, 0);
        }
        if (reply == GatewayReply.BODY_TOO_LARGE && metrics != null) {
            metrics.error(ProxyError.BODY_TOO_LARGE);
        }
        if (responseForwarder.isCommitted()) {
            finishAborted();
        } else {
            reply(reply);
        }
    }

    // ---- endings ----

    /** Reports the current attempt's failure to its lease and lets go of its connection. */
    private void endAttempt(Lease.Failure kind, int status) {
        Backend backend = lease.backend();
        lease.fail(kind);
        metrics.outcome(backend, status);
        lease = null;
        releaseUpstream(false);
    }

    private void releaseUpstream(boolean reusable) {
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

    /** Answers the client with the gateway's own response, then ends the exchange. */
    private void reply(GatewayReply reply) {
        if (responseForwarder.isCommitted() || client.isWriting()) {
            finishAborted();
            return;
        }
        if (lease != null) {
            endAttempt(Lease.Failure.CANCELLED, 0);
        }
        replying = true;
        replyCloses = !requestForwarder.isFinished() && request.hasBody() || !clientMayStayOpen();
        ByteBuffer bytes = reply.bytes(replyCloses);
        try {
            if (client.flush(bytes)) {
                finish(!replyCloses);
            } else {
                client.write(bytes);
            }
        } catch (IOException e) {
            finishAborted();
        }
    }

    private void finishAborted() {
        if (lease != null) {
            endAttempt(Lease.Failure.CANCELLED, 0);
        }
        releaseUpstream(false);
        end();
        client.close();
    }

    private void finish(boolean keepAlive) {
        if (!active) {
            return;
        }
        releaseUpstream(false);
        if (requestForwarder.isFinished() || !request.hasBody()) {
            ByteBuffer in = client.input().buffer();
            in.position(Math.max(in.position(), requestForwarder.endOfRequest()));
        }
        end();
        client.exchangeDone(keepAlive);
    }

    private void end() {
        if (!active) {
            return;
        }
        active = false;
        generation++;
        if (metrics != null) {
            metrics.latency(context.settings.clock().nanoTime() - startNanos);
        }
        if (admitted) {
            admitted = false;
            context.release();
        }
        requestForwarder.release(worker.buffers());
        responseForwarder.release(worker.buffers());
    }

    // ---- what the forwarders ask ----

    long maxBodyBytes() {
        return context.settings.maxRequestBodyBytes();
    }

    boolean isHeadRequest() {
        return request.method() == Method.HEAD;
    }

    boolean clientIsHttp10() {
        return request.isHttp10();
    }

    /** Whether the client connection may be kept after this exchange (before the response's framing is known). */
    boolean clientMayStayOpen() {
        return request.wantsKeepAlive() && !context.isDraining() && (requestForwarder.isFinished() || !request.hasBody());
    }

    // ---- RouteRequest: the router's view ----

    @Override
    public String method() {
        return request.methodName();
    }

    @Override
    public String path() {
        return request.path();
    }

    @Override
    public String header(String name) {
        return request.field(name);
    }

    @Override
    public String clientAddress() {
        return client.clientAddressText();
    }
}
