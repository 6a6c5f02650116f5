package io.longshore.jetty.internal.engine;

import io.longshore.api.RouteRequest;
import io.longshore.jetty.internal.accesslog.AccessLogEntry;
import io.longshore.jetty.internal.codec.HeadWriter;
import io.longshore.jetty.internal.codec.Method;
import io.longshore.jetty.internal.codec.RequestHead;
import io.longshore.jetty.internal.codec.RouteViews;
import io.longshore.jetty.internal.metrics.ProxyError;
import io.longshore.jetty.internal.metrics.ServiceMetrics;
import io.longshore.jetty.internal.policy.GatewayReply;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One client request on its way through the engine, seen from the client's side: routes it
 * by path, sheds load past the concurrency limit, refuses bodies over the limit, hands the
 * replica's side to its {@link ReplicaAttempt}, answers itself when no replica can, and gives
 * the client connection back when done. It is also the router's view of the request. One per
 * client connection, reused request after request; confined to the worker's thread.
 */
final class ProxyExchange implements RouteRequest, TunnelRelay.Owner {
    private final ProxyWorker worker;
    private final EngineContext context;
    private final DownstreamConnection client;
    private final RequestHead request;
    private final RequestForwarder requestForwarder;
    private final ResponseForwarder responseForwarder;
    private final ReplicaAttempt attempt;
    private final RouteViews views = new RouteViews();
    private boolean active;
    private ServiceMetrics metrics;
    private long startNanos;
    private boolean admitted;
    private boolean replying;
    private boolean replyCloses;
    private GatewayReply replied;
    private TunnelRelay tunnel;
    private long switchedAt;
    private long tunnelBytes;

    /** @param request the client connection's head, parsed anew for each request */
    ProxyExchange(ProxyWorker worker, DownstreamConnection client, RequestHead request) {
        this.worker = worker;
        this.context = worker.context();
        this.client = client;
        this.request = request;
        this.requestForwarder = new RequestForwarder(this, client, request);
        this.responseForwarder = new ResponseForwarder(this, client);
        this.attempt = new ReplicaAttempt(this, worker, requestForwarder, responseForwarder);
        requestForwarder.attempt(attempt);
        responseForwarder.attempt(attempt);
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
        replying = false;
        replied = null;
        tunnel = null;
        startNanos = context.settings.clock().nanoTime();
        requestForwarder.startRequest();
        responseForwarder.startRequest();
        int route = context.match(request.bytes(), request.pathStart(), request.pathEnd());
        if (route < 0) {
            metrics = null;
            reply(GatewayReply.NOT_FOUND);
            return;
        }
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
        attempt.begin(route, startNanos);
    }

    /** The whole request reached the replica. */
    void requestSent() {
        listenToClient();
    }

    /** The request waits in the line for room: nothing goes to a replica yet. */
    void waiting() {
        listenToClient();
    }

    private void listenToClient() {
        if (client.input().hasRoom()) {
            client.wantInput(); // to hear of a client that goes away
        }
    }

    /** The whole response reached the client at {@code nowNanos} of the gateway's clock (-1: read it now). */
    void responseComplete(boolean connectionReusable, long nowNanos) {
        attempt.responseComplete(connectionReusable);
        finish(responseForwarder.keepsClient() && requestForwarder.isFinished(), nowNanos);
    }

    /** The gateway clock's time. */
    long now() {
        return context.settings.clock().nanoTime();
    }

    // ---- the client's side ----

    void clientReadable() {
        if (!active) {
            return;
        }
        if (!requestForwarder.isFinished() && requestForwarder.isSending()) {
            requestForwarder.pump();
            return;
        }
        if (!client.input().hasRoom()) {
            return; // pipelined requests filled the buffer: wait for the response to finish
        }
        int read = client.fill();
        if (read < 0) {
            clientGone();
        } else if (read > 0) {
            listenToClient(); // bytes ahead of their turn (the body of a request in the line): go on listening
        }
    }

    void clientWritten() {
        if (replying) {
            finish(!replyCloses, -1);
        } else {
            responseForwarder.written();
        }
    }

    /**
     * The {@code 100 Continue} went out in the background: a response that came meanwhile waited
     * for the client's connection.
     */
    void continueWritten() {
        if (active) {
            responseForwarder.pump();
        }
    }

    /** The client went away or its connection broke: nothing more can be done for it. */
    void clientGone() {
        if (!active) {
            return;
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
            attempt.cancel();
            reply(GatewayReply.REQUEST_TIMEOUT);
        } else if (client.isWriting()) {
            clientGone();
        }
    }

    /** The request body broke the framing rules or the size limit. */
    void requestBodyFailed(GatewayReply reply) {
        attempt.cancel();
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

    /** Answers the client with the gateway's own response, then ends the exchange. */
    void reply(GatewayReply reply) {
        if (responseForwarder.isCommitted() || client.isWriting()) {
            finishAborted();
            return;
        }
        attempt.cancel();
        replying = true;
        replied = reply;
        replyCloses = !requestForwarder.isFinished() && request.hasBody() || !clientMayStayOpen();
        HeadWriter.ConnectionOption connection = HeadWriter.ConnectionOption.toClient(!replyCloses, request.isHttp10());
        ByteBuffer bytes = isHeadRequest() ? context.replyToHead(reply, connection) : context.reply(reply, connection);
        try {
            if (client.flush(bytes)) {
                finish(!replyCloses, -1);
            } else {
                client.write(bytes);
            }
        } catch (IOException e) {
            finishAborted();
        }
    }

    /**
     * The gateway's own code failed during the exchange (the connection that saw it logged it):
     * the replica connection is closed, not pooled, whatever state it was left in, and the client
     * gets 502 when nothing of the response has gone out, else its connection closes.
     */
    void fault() {
        if (!active) {
            client.close();
            return;
        }
        if (metrics != null) {
            metrics.error(ProxyError.INTERNAL);
        }
        try {
            if (replying) {
                finishAborted();
            } else {
                reply(GatewayReply.GATEWAY_FAILED);
            }
        } catch (RuntimeException again) {
            // ending it the usual way failed as well: let go of what it holds (its lease too,
            // else the replica would count it in flight for good), and both connections close
            try {
                attempt.abandon();
                end(-1);
            } finally {
                client.close(); // else a client whose answer never went out would wait for it
            }
            throw again;
        }
    }

    /** Ends the exchange and closes the client connection (it cannot be answered properly). */
    void finishAborted() {
        attempt.cancel();
        end(-1);
        client.close();
    }

    private void finish(boolean keepAlive, long nowNanos) {
        if (!active) {
            return;
        }
        attempt.cancel();
        if (requestForwarder.isFinished() || !request.hasBody()) {
            ByteBuffer in = client.input().buffer();
            in.position(Math.max(in.position(), requestForwarder.endOfRequest()));
        }
        end(nowNanos);
        client.exchangeDone(keepAlive);
    }

    /** Records the latency (to {@code nowNanos} of the gateway's clock, read now when -1). */
    private void end(long nowNanos) {
        if (!active) {
            return;
        }
        active = false;
        long now = nowNanos >= 0 ? nowNanos : context.settings.clock().nanoTime();
        if (metrics != null) {
            metrics.latency((tunnel != null ? switchedAt : now) - startNanos); // a tunnel's request took its handshake
        }
        if (context.accessLog != null) {
            logAccess(now);
        }
        if (admitted) {
            admitted = false;
            context.release();
        }
        requestForwarder.release(worker.buffers());
        responseForwarder.release(worker.buffers());
    }

    // ---- upgrades ----

    /** Whether a 101 may turn this exchange into a tunnel: the client asked to upgrade and its request went whole. */
    boolean mayTunnel() {
        return request.isUpgrade() && requestForwarder.isFinished();
    }

    /**
     * The replica switched protocols: {@code head} (the 101 for the client) and what follows it
     * in the replica's input start a tunnel between the two connections, which lives until
     * either side closes; the request stays in flight (and the replica's lease held) meanwhile.
     */
    void startTunnel(ByteBuffer head, UpstreamConnection replica) {
        switchedAt = now();
        UpstreamConnection connection = attempt.switchToTunnel();
        TunnelRelay through = new TunnelRelay(worker, client, connection, this);
        tunnel = through;
        ByteBuffer clientBytes = client.becomeTunnel(through, requestForwarder.endOfRequest());
        through.load(head, replica.input().buffer(), clientBytes);
        client.releaseInput();
        connection.becomeTunnel(through);
        metrics.tunnelOpened();
        through.start(context.settings.tunnelIdleTimeout().toMillis(), context.clientIdleTimeoutMillis);
    }

    @Override
    public void tunnelClosed(long toClient, long toReplica) {
        attempt.replica().tunnelClosed();
        metrics.tunnelClosed();
        tunnelBytes = toClient;
        end(-1);
    }

    /** Writes the request's access-log entry. */
    private void logAccess(long now) {
        int status;
        long bytes;
        if (replied != null) {
            status = replied.status();
            bytes = isHeadRequest() ? 0 : replied.body().length();
        } else if (tunnel != null) {
            status = 101;
            bytes = tunnelBytes;
        } else {
            status = responseForwarder.isCommitted() ? responseForwarder.status() : AccessLogEntry.CLIENT_GONE;
            bytes = responseForwarder.bodyBytes();
        }
        ReplicaLease replica = attempt.replica();
        int upstream = replica.answeredStatus() > 0 ? replica.answeredStatus()
                : responseForwarder.isCommitted() ? responseForwarder.status() : 0;
        long firstByte = responseForwarder.firstByteAt();
        context.accessLog.log(new AccessLogEntry(context.settings.clock().instant().toEpochMilli(),
                client.clientAddressText(), request.methodName(), request.text(request.targetStart(), request.targetEnd()),
                request.isHttp10() ? "HTTP/1.0" : "HTTP/1.1", status, bytes, metrics == null ? null : metrics.service(),
                replica.replicaId(), upstream, replica.retries(), now - startNanos, attempt.connectNanos(),
                firstByte < 0 ? -1 : firstByte - startNanos, request.field("referer"), request.field("user-agent")));
    }

    /** Whether requests are logged (so the forwarders take the times the access log shows). */
    boolean logsAccess() {
        return context.accessLog != null;
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
        return RouteViews.headerText(request, name);
    }

    @Override
    public String clientAddress() {
        return client.clientAddressText();
    }

    @Override
    public CharSequence pathView() {
        return views.path(request);
    }

    @Override
    public CharSequence headerView(String name) {
        return views.header(request, name);
    }

    @Override
    public CharSequence cookieView(String name) {
        return views.cookie(request, name);
    }
}
