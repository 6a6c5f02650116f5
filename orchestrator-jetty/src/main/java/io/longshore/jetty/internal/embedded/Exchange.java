package io.longshore.jetty.internal.embedded;

import io.longshore.api.Backend;
import io.longshore.api.Clock;
import io.longshore.api.internal.UserCode;
import io.longshore.core.Lease;
import io.longshore.core.Router;
import io.longshore.jetty.internal.codec.Method;
import io.longshore.jetty.internal.metrics.ProxyError;
import io.longshore.jetty.internal.metrics.ServiceMetrics;
import io.longshore.jetty.internal.policy.GatewayReply;
import io.longshore.jetty.internal.policy.RetryRules;
import io.longshore.jetty.internal.policy.StickyCookie;
import io.longshore.jetty.internal.policy.WaitingRequest;
import io.longshore.jetty.internal.policy.WaitingRoom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client request on its way through the embedded gateway, across its attempts: leases a
 * replica per attempt through its {@link RequestLease}, sends it an {@link Attempt} of the
 * request as {@link OutboundRequests} builds it, and follows the
 * gateway's {@link RetryRules} and {@link GatewayReply replies} when one fails. The router sees
 * the request through a {@link HostRequest}. The replica's answer reaches the client through
 * a {@link ClientResponse}; the attempts' times go to an {@link AttemptLog}; the exchange ends
 * through its {@link ExchangeEnd}. Its attempts run one after another; their callbacks, on
 * Jetty's threads, never overlap.
 */
final class Exchange {
    private static final Logger LOG = LoggerFactory.getLogger(Exchange.class);

    private final EmbeddedProxy proxy;
    private final Router router;
    private final ServiceMetrics metrics;
    final Request request;
    private final HostRequest route;
    final Response response;
    private final boolean hasBody;
    private final RequestBody body;
    private final RetryRules rules;
    private final RequestLease lease;
    private final WaitingRequest waiting;
    /** The client's response head, as the attempts' replicas give it. */
    final ClientResponse client;
    /** What the attempts leave for the access log and the load windows. */
    final AttemptLog attempts;
    /** How the exchange ends: its attempts end it through this. */
    final ExchangeEnd end;
    private final ClientDeparture departure;
    /** Set once the gateway's own code threw on this exchange ({@link #internalFailure}). */
    private final AtomicBoolean broken = new AtomicBoolean();

    Exchange(EmbeddedProxy proxy, Router router, ServiceMetrics metrics, WaitingRoom room, Request request,
             Response response, Callback callback) {
        this.proxy = proxy;
        this.router = router;
        Clock routerClock = router.clock();
        this.metrics = metrics;
        this.request = request;
        this.route = new HostRequest(request);
        this.response = response;
        long startNanos = proxy.settings().clock().nanoTime();
        this.body = new RequestBody(request, proxy.settings().maxRequestBodyBytes(),
                proxy.settings().requestBufferBytes());
        this.hasBody = body.probe();
        this.rules = new RetryRules(proxy.budget(), proxy.settings().maxRetryBackoff().toMillis(), proxy.random());
        this.lease = new RequestLease(router.newLease(), routerClock, this);
        this.client = new ClientResponse(request, response, route, StickyCookie.of(router));
        this.attempts = new AttemptLog(proxy.settings().clock(), proxy.accessLog() != null, startNanos);
        this.end = new ExchangeEnd(proxy, metrics, request, response, callback, startNanos, attempts,
                this::requestBodyPending);
        this.waiting = new WaitingRequest(route, new Waiting(this, proxy.replicas().client().getExecutor(),
                proxy.replicas().client().getScheduler()));
        this.departure = new ClientDeparture(waiting, body, metrics, end);
        waiting.begin(room, metrics, lease.lease(), lease.clock());
    }

    void start() {
        try {
            begin();
        } catch (RuntimeException | Error e) {
            internalFailure(e);
        }
    }

    private void begin() {
        request.addFailureListener(departure::clientFailed);
        // the host's idle timeout fails a stalled body read (408) or response write (dropped),
        // but a replica's wait for its answer is bounded by responseTimeout, not by it
        request.addIdleTimeoutListener(timeout -> false);
        StreamResets.watch(request, departure::streamReset);
        rules.start(Method.of(request.getMethod()).isIdempotent());
        if (waiting.mustQueue()) {
            waiting.hold(lease.now()); // behind the requests already waiting
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
        Throwable left = departure.gone();
        if (left != null) { // before the first attempt or in a retry's pause: no replica hears of it
            metrics.error(ProxyError.CANCELLED);
            end.abort(new Failures.ClientGoneException(left));
            return;
        }
        boolean leased;
        try {
            leased = lease.acquire(route, excluded, rules);
        } catch (RuntimeException | Error e) { // a user's router
            UserCode.rethrowIfFatal(e);
            LOG.warn("routing {} {} failed", request.getMethod(), request.getHttpURI().getPath(), e);
            end.reply(GatewayReply.GATEWAY_FAILED);
            return;
        }
        if (!leased) {
            if (excluded == null && waiting.mayHold()) {
                waiting.hold(lease.now());
            } else if (excluded == null) {
                metrics.error(ProxyError.NO_REPLICA);
                end.reply(GatewayReply.NO_REPLICA);
            } else {
                end.reply(GatewayReply.noOtherReplica(fallbackStatus));
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
        attempts.sending(backend);
        body.restart();
        ReplicaClient replicas = proxy.replicas();
        org.eclipse.jetty.client.Request outbound = OutboundRequests.of(replicas, backend.endpoint(), this,
                hasBody ? body : null);
        departure.sending(outbound);
        new Attempt(this, backend, outbound, replicas).send();
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
        departure.abortOutbound(failure);
        // the gateway's defect, not the replica's: nothing counted against it, as on the engine
        lease.cancelForDefect();
        if (response.isCommitted()) {
            end.abort(failure);
        } else {
            end.reply(GatewayReply.GATEWAY_FAILED);
        }
    }

    /** Whether the exchange failed on a defect of its own: its attempt then decides nothing. */
    boolean isBroken() {
        return broken.get();
    }

    // ---- what an attempt reports ----

    /** The replica's status and headers arrived (the end of a cold start when the request waited for one). */
    void responseBegun() {
        waiting.responseBegun();
    }

    /** The replica answered with {@code status}: its lease is reported. */
    void answered(Backend backend, int status) {
        attempts.answered(status);
        lease.complete(status);
        attempts.outcome(metrics, backend, status);
    }

    /** The replica did not answer: its lease is reported. */
    void failed(Backend backend, Lease.Failure kind) {
        lease.fail(kind);
        attempts.outcome(metrics, backend, 0);
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
            proxy.replicas().client().getScheduler().schedule(() -> attempt(failed, fallbackStatus), pause,
                    TimeUnit.MILLISECONDS);
        }
    }

    /** Nothing reached {@code failed}: any method may go elsewhere, up to the rules' limit. */
    void connectFailed(Backend failed) {
        if (rules.takeConnectRetry(body.isReplayable())) {
            retried();
            attempt(failed, HttpStatus.BAD_GATEWAY_502);
        } else {
            end.reply(GatewayReply.NO_REPLICA_ACCEPTED);
        }
    }

    /** The replica was reset or timed out before the client got anything: elsewhere if the rules allow. */
    void replicaFailed(Backend failed, Lease.Failure kind) {
        if (response.isCommitted()) {
            end.abort(new IllegalStateException("replica failed after the response was committed"));
        } else if (rules.takeRetryElsewhere(router, failed, body.isReplayable())) {
            response.reset();
            retryLater(failed, GatewayReply.statusOf(kind));
        } else {
            end.reply(GatewayReply.forFailure(kind));
        }
    }

    private void retried() {
        metrics.retry();
        attempts.retried();
    }

    // ---- the client's response ----

    /** Whether the client's request has a body whose last byte has not been read yet. */
    boolean requestBodyPending() {
        return hasBody && !body.isComplete();
    }

    /** Whether the request body's reader waits for the client's next bytes. */
    boolean waitsForClientBody() {
        return body.waitsForClient();
    }

    boolean isHeadRequest() {
        return route.isHead();
    }

    /** The request, as log lines name it. */
    @Override
    public String toString() {
        return request.getMethod() + " " + request.getHttpURI().getPath();
    }
}
