package io.longshore.jetty.internal.embedded;

import io.longshore.api.Backend;
import io.longshore.api.Clock;
import io.longshore.api.Endpoint;
import io.longshore.api.internal.UserCode;
import io.longshore.core.Lease;
import io.longshore.core.Router;
import io.longshore.jetty.internal.accesslog.AccessLogEntry;
import io.longshore.jetty.internal.codec.Method;
import io.longshore.jetty.internal.metrics.ProxyError;
import io.longshore.jetty.internal.metrics.ServiceMetrics;
import io.longshore.jetty.internal.policy.GatewayReply;
import io.longshore.jetty.internal.policy.LeaseOutcomes;
import io.longshore.jetty.internal.policy.RetryRules;
import io.longshore.jetty.internal.policy.StickyCookie;
import io.longshore.jetty.internal.policy.WaitingRequest;
import io.longshore.jetty.internal.policy.WaitingRoom;
import java.util.concurrent.TimeUnit;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client request on its way through the embedded gateway, across its attempts: leases a
 * replica per attempt through one {@link Lease}, sends an {@link Attempt}, and follows the
 * gateway's {@link RetryRules} and {@link GatewayReply replies} when one fails. The router sees
 * the request through a {@link HostRequest}. Its attempts run one after another; their
 * callbacks, on Jetty's threads, never overlap.
 */
final class Exchange {
    private static final Logger LOG = LoggerFactory.getLogger(Exchange.class);

    private final EmbeddedProxy proxy;
    private final Router router;
    private final Clock routerClock;
    private final ServiceMetrics metrics;
    final Request request;
    private final HostRequest route;
    final Response response;
    private final Callback callback;
    private final long startNanos;
    private final boolean hasBody;
    private final RequestBody body;
    private final RetryRules rules;
    private final Lease lease;
    private final Optional<StickyCookie> sticky;
    private final WaitingRequest waiting;
    private final AtomicBoolean finished = new AtomicBoolean();
    /** Set once the gateway's own code threw on this exchange ({@link #internalFailure}). */
    private final AtomicBoolean broken = new AtomicBoolean();
    /** The request to the replica in flight now, to abort when the client goes away. */
    private volatile org.eclipse.jetty.client.Request outbound;
    /** Why the client went away, once it did: no attempt starts after that. */
    private volatile Throwable gone;
    // what the access log shows of the attempts (the last one's replica and times)
    private volatile Backend lastBackend;
    private volatile int answeredStatus;
    private volatile int retries;
    private volatile long attemptStart = -1;
    private volatile long connectNanos = -1;
    private volatile long firstByteAt = -1;
    /** When the current attempt was sent, on the gateway's clock (for the replica's load window). */
    private volatile long attemptStartNanos;

    Exchange(EmbeddedProxy proxy, Router router, ServiceMetrics metrics, WaitingRoom room, Request request,
             Response response, Callback callback) {
        this.proxy = proxy;
        this.router = router;
        this.routerClock = router.clock();
        this.metrics = metrics;
        this.request = request;
        this.route = new HostRequest(request);
        this.response = response;
        this.callback = callback;
        this.startNanos = proxy.settings().clock().nanoTime();
        this.body = new RequestBody(request, proxy.settings().maxRequestBodyBytes(),
                proxy.settings().requestBufferBytes());
        this.hasBody = body.probe();
        this.rules = new RetryRules(proxy.budget(), proxy.settings().maxRetryBackoff().toMillis(), proxy.random());
        this.lease = router.newLease();
        this.sticky = StickyCookie.of(router);
        this.waiting = new WaitingRequest(route, new Waiting(this, proxy.client().getExecutor(),
                proxy.client().getScheduler()));
        waiting.begin(room, metrics, lease, routerClock);
    }

    void start() {
        try {
            begin();
        } catch (RuntimeException | Error e) {
            internalFailure(e);
        }
    }

    private void begin() {
        request.addFailureListener(this::clientFailed);
        // the host's idle timeout fails a stalled body read (408) or response write (dropped),
        // but a replica's wait for its answer is bounded by responseTimeout, not by it
        request.addIdleTimeoutListener(timeout -> false);
        StreamResets.watch(request, this::streamReset);
        rules.start(Method.of(request.getMethod()).isIdempotent());
        if (waiting.mustQueue()) {
            waiting.hold(routerClock.nanoTime()); // behind the requests already waiting
        } else {
            attempt(null, HttpStatus.BAD_GATEWAY_502);
        }
    }

    /** Leases a replica (other than {@code excluded}, when retrying after {@code fallbackStatus}) and sends to it. */
    private void attempt(Backend excluded, int fallbackStatus) {
        try {
            attemptNow(excluded, fallbackStatus);
        } catch (RuntimeException | Error e) {
            internalFailure(e);
        }
    }

    private void attemptNow(Backend excluded, int fallbackStatus) {
        Throwable left = gone;
        if (left != null) { // before the first attempt or in a retry's pause: no replica hears of it
            metrics.error(ProxyError.CANCELLED);
            abort(new Failures.ClientGoneException(left));
            return;
        }
        boolean leased;
        try {
            long now = routerClock.nanoTime();
            leased = excluded == null ? lease.acquire(route, null, now) : rules.leaseOther(lease, route, excluded, now);
        } catch (RuntimeException | Error e) { // a user's router
            UserCode.rethrowIfFatal(e);
            LOG.warn("routing {} {} failed", request.getMethod(), request.getHttpURI().getPath(), e);
            reply(GatewayReply.GATEWAY_FAILED);
            return;
        }
        if (!leased) {
            if (excluded == null && waiting.mayHold()) {
                waiting.hold(routerClock.nanoTime());
            } else if (excluded == null) {
                metrics.error(ProxyError.NO_REPLICA);
                reply(GatewayReply.NO_REPLICA);
            } else {
                reply(GatewayReply.noOtherReplica(fallbackStatus));
            }
            return;
        }
        send(lease.backend());
    }

    /** Sends the request to {@code backend}, whose lease is held. */
    void send(Backend backend) {
        try {
            sendNow(backend);
        } catch (RuntimeException | Error e) {
            internalFailure(e);
        }
    }

    private void sendNow(Backend backend) {
        attemptStartNanos = proxy.settings().clock().nanoTime();
        body.restart();
        lastBackend = backend;
        if (proxy.accessLog() != null) {
            attemptStart = proxy.settings().clock().nanoTime();
            connectNanos = -1;
            firstByteAt = -1;
        }
        Endpoint endpoint = backend.endpoint();
        org.eclipse.jetty.client.Request outbound = proxy.client().newRequest(proxy.origin(endpoint))
                .method(request.getMethod())
                .path(request.getHttpURI().getPathQuery())
                .attribute(Exchange.class.getName(), this)
                .headers(headers -> {
                    ForwardedHeaders.copyRequest(request, headers);
                    headers.put(proxy.hostField(endpoint));
                });
        if (hasBody) {
            outbound.body(body);
            if (request.getLength() < 0) { // chunked (or an HTTP/2 stream's DATA): it may end with trailer fields
                outbound.trailersSupplier(body::trailers);
            }
        }
        this.outbound = outbound;
        Throwable left = gone;
        if (left != null) { // went away while this attempt was made: it fails at once, its lease as cancelled
            outbound.abort(new Failures.ClientGoneException(left));
        }
        new Attempt(this, backend, outbound).send(proxy.connectDeadlines());
    }

    /**
     * The gateway's own code threw while it forwarded (a defect): this request alone fails, as
     * in the standalone engine. It is logged and counted as {@link ProxyError#INTERNAL}, its
     * replica request (if any) is aborted, so that connection is closed rather than pooled, its
     * lease is let go of, and the client gets 502 (or, once part of the response went out, its
     * connection aborted); the exchange's place is freed when that answer ends.
     */
    void internalFailure(Throwable failure) {
        UserCode.rethrowIfFatal(failure);
        if (!broken.compareAndSet(false, true)) {
            return;
        }
        LOG.warn("forwarding {} {} failed", request.getMethod(), request.getHttpURI().getPath(), failure);
        metrics.error(ProxyError.INTERNAL);
        org.eclipse.jetty.client.Request current = outbound;
        if (current != null) {
            current.abort(failure);
        }
        LeaseOutcomes.fail(lease, Lease.Failure.RESET, routerClock.nanoTime(), true, this);
        if (response.isCommitted()) {
            abort(failure);
        } else {
            reply(GatewayReply.GATEWAY_FAILED);
        }
    }

    /** Whether the exchange failed on a defect of its own: its attempt then decides nothing. */
    boolean isBroken() {
        return broken.get();
    }

    /** The host server saw the client's connection fail: the replica's work is given up. */
    private void clientFailed(Throwable failure) {
        gone = failure;
        if (waiting.leave()) {
            metrics.error(ProxyError.CANCELLED);
            abort(new Failures.ClientGoneException(failure));
            return;
        }
        org.eclipse.jetty.client.Request current = outbound;
        if (current != null) {
            current.abort(new Failures.ClientGoneException(failure));
        }
    }

    /** The client's HTTP/2 stream was reset without Jetty telling the request (see {@link StreamResets}). */
    private void streamReset() {
        Throwable failure = new org.eclipse.jetty.io.EofException("the client's HTTP/2 stream was reset");
        body.clientReset(failure);
        clientFailed(failure);
    }

    // ---- what an attempt reports ----

    /** The replica's status and headers arrived (the end of a cold start when the request waited for one). */
    void responseBegun() {
        waiting.responseBegun();
    }

    /** The replica answered with {@code status}: its lease is reported. */
    void answered(Backend backend, int status) {
        answeredStatus = status;
        LeaseOutcomes.complete(lease, status, routerClock.nanoTime(), this);
        long end = proxy.settings().clock().nanoTime();
        metrics.outcome(backend, status, end, end - attemptStartNanos);
    }

    /** The replica did not answer: its lease is reported. */
    void failed(Backend backend, Lease.Failure kind) {
        LeaseOutcomes.fail(lease, kind, routerClock.nanoTime(), false, this);
        long end = proxy.settings().clock().nanoTime();
        metrics.outcome(backend, 0, end, end - attemptStartNanos);
    }

    /** Counts an answer the gateway shaped, or a request the client gave up on. */
    void error(ProxyError kind) {
        metrics.error(kind);
    }

    /** Whether a 502/503/504 just received from {@code backend} may go to another replica (the retry is taken when so). */
    boolean mayRetryElsewhere(Backend backend) {
        return rules.takeRetryElsewhere(router, backend, body.isReplayable());
    }

    /** Whether an attempt whose pooled connection was found closed may go again on a new connection. */
    boolean mayRetryStale(boolean reusedConnection) {
        return rules.takeStaleRetry(reusedConnection, true, body.isReplayable());
    }

    /** A stale pooled connection: the same replica again, its lease still held. */
    void resend(Backend backend) {
        retried();
        send(backend);
    }

    /** Sends the request to another replica after the rules' pause; a retry was taken. */
    void retryLater(Backend failed, int fallbackStatus) {
        retried();
        long pause = rules.pauseMillis();
        if (pause == 0) {
            attempt(failed, fallbackStatus);
        } else {
            proxy.client().getScheduler().schedule(() -> attempt(failed, fallbackStatus), pause, TimeUnit.MILLISECONDS);
        }
    }

    /** Nothing reached {@code failed}: any method may go elsewhere, up to the rules' limit. */
    void connectFailed(Backend failed) {
        if (rules.takeConnectRetry(body.isReplayable())) {
            retried();
            attempt(failed, HttpStatus.BAD_GATEWAY_502);
        } else {
            reply(GatewayReply.NO_REPLICA_ACCEPTED);
        }
    }

    /** The replica was reset or timed out before the client got anything: elsewhere if the rules allow. */
    void replicaFailed(Backend failed, Lease.Failure kind) {
        if (response.isCommitted()) {
            abort(new IllegalStateException("replica failed after the response was committed"));
        } else if (rules.takeRetryElsewhere(router, failed, body.isReplayable())) {
            response.reset();
            retryLater(failed, GatewayReply.statusOf(kind));
        } else {
            reply(GatewayReply.forFailure(kind));
        }
    }

    private void retried() {
        metrics.retry();
        retries++;
    }

    /** The attempt got its connection to the replica. */
    void connected() {
        long start = attemptStart;
        if (start >= 0) {
            connectNanos = proxy.settings().clock().nanoTime() - start;
        }
    }

    /** The replica's first response byte came. */
    void firstByte() {
        if (attemptStart >= 0 && firstByteAt < 0) {
            firstByteAt = proxy.settings().clock().nanoTime();
        }
    }

    // ---- the client's response ----

    /** A 1xx from the replica: {@code 100} is the gateway's own business, others go to HTTP/1.1 clients. */
    void passInterim(int status, HttpFields replicaFields) {
        if (status == HttpStatus.CONTINUE_100 || isHttp10()) {
            return;
        }
        HttpFields.Mutable fields = HttpFields.build();
        ForwardedHeaders.copyResponse(replicaFields, fields);
        response.writeInterim(status, fields.asImmutable());
    }

    /**
     * Copies a replica's final status and headers to the client's response. As the standalone
     * proxy does, the client's connection closes after a body without a known length (one
     * delimited by closing, or a chunked one for an HTTP/1.0 client) and after a response to an
     * HTTP/1.0 client that did not ask for keep-alive; the response says so.
     */
    void passHeaders(org.eclipse.jetty.client.Response replica, boolean delimitedByClose, boolean lengthKnown) {
        response.setStatus(replica.getStatus());
        ForwardedHeaders.copyResponse(replica.getHeaders(), response.getHeaders());
        Backend backend = lease.backend();
        if (sticky.isPresent() && backend != null && sticky.get().needsSetting(route, backend)) {
            response.getHeaders().add(HttpHeader.SET_COOKIE, sticky.get().value(backend));
        }
        if (delimitedByClose || isHttp10() && (!lengthKnown || !wantsKeepAlive())) {
            response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
        }
        if (!lengthKnown && !delimitedByClose && !isHttp10()) { // chunked: it may end with trailer fields
            HttpFields.Mutable fields = HttpFields.build();
            response.setTrailersSupplier(() -> {
                // Jetty's client keeps them on its response rather than in a trailers chunk
                HttpFields received = replica.getTrailers();
                if (fields.size() == 0 && received != null) {
                    ForwardedHeaders.copyResponse(received, fields);
                }
                return fields.size() == 0 ? null : fields;
            });
        }
    }

    /** Whether the client's request has a body whose last byte has not been read yet. */
    boolean requestBodyPending() {
        return hasBody && !body.isComplete();
    }

    /** The response had headers but no body: it is complete. */
    void finishWithoutBody() {
        response.write(true, BufferUtil.EMPTY_BUFFER, Callback.from(this::succeeded, this::abort));
    }

    /** The gateway answers instead of a replica (or aborts, once the client got part of a response). */
    void reply(GatewayReply reply) {
        if (response.isCommitted()) {
            abort(new IllegalStateException("cannot answer " + reply + ": the response was committed"));
            return;
        }
        response.reset();
        boolean close = hasBody && !body.isComplete();
        if (reply == GatewayReply.BODY_TOO_LARGE) {
            Replies.send(response, Callback.from(
                    () -> BodyDiscarder.discardRest(request, Callback.from(this::succeeded, this::abort)),
                    this::abort), reply, true);
            return;
        }
        Replies.send(response, Callback.from(this::succeeded, this::abort), reply, close);
    }

    void succeeded() {
        if (finish(false)) {
            callback.succeeded();
        }
    }

    void abort(Throwable failure) {
        if (finish(true)) {
            callback.failed(failure);
        }
    }

    private boolean finish(boolean aborted) {
        if (!finished.compareAndSet(false, true)) {
            return false;
        }
        long now = proxy.settings().clock().nanoTime();
        metrics.latency(now - startNanos);
        if (proxy.accessLog() != null) {
            logAccess(aborted, now);
        }
        proxy.release(); // last: a closing gateway waits for this, then closes the access log
        return true;
    }

    private void logAccess(boolean aborted, long now) {
        Backend backend = lastBackend;
        long firstByte = firstByteAt;
        int status = aborted && !response.isCommitted() ? AccessLogEntry.CLIENT_GONE : response.getStatus();
        AccessLogging.log(proxy.accessLog(), proxy.settings().clock().instant().toEpochMilli(), request, status,
                Response.getContentBytesWritten(response), metrics.service(),
                new AccessLogging.Upstream(backend == null ? null : backend.id(), answeredStatus, retries, connectNanos,
                        firstByte < 0 ? -1 : firstByte - startNanos), now - startNanos);
    }

    boolean isHeadRequest() {
        return route.isHead();
    }

    private boolean isHttp10() {
        return request.getConnectionMetaData().getHttpVersion() == HttpVersion.HTTP_1_0;
    }

    private boolean wantsKeepAlive() {
        return request.getHeaders().contains(HttpHeader.CONNECTION, HttpHeaderValue.KEEP_ALIVE.asString());
    }

    boolean reused(Object connection) {
        return proxy.reused(connection);
    }

    /** The request, as log lines name it. */
    @Override
    public String toString() {
        return request.getMethod() + " " + request.getHttpURI().getPath();
    }
}
