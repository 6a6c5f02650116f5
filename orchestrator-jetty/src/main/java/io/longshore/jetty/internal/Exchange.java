package io.longshore.jetty.internal;

import io.longshore.api.Backend;
import io.longshore.api.RouteRequest;
import io.longshore.core.Lease;
import io.longshore.core.Router;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * One client request on its way through the gateway, across its attempts. It is at once the
 * router's view of the request (no copy), the body source of the request to the replica
 * (counting bytes against the limit) and the header copier, so forwarding allocates little.
 * Confined to the request's callbacks, which Jetty serializes; the body flags are written by
 * the client's sender and read after the attempt completed.
 */
final class Exchange implements RouteRequest, org.eclipse.jetty.client.Request.Content,
        Consumer<HttpFields.Mutable> {
    /** Connect failures retried on other replicas before giving up with 502. */
    static final int MAX_CONNECT_RETRIES = 2;

    private final ForwardingHandler handler;
    private final Router router;
    private final ServiceMetrics metrics;
    final Request request;
    final Response response;
    private final Callback callback;
    private final long startNanos;
    private final boolean hasBody;
    private volatile boolean bodyTouched;
    private long bodyBytes;
    private int connectRetries;
    private boolean retried;
    private Backend lastFailed;

    Exchange(ForwardingHandler handler, Router router, ServiceMetrics metrics, Request request,
             Response response, Callback callback) {
        this.handler = handler;
        this.router = router;
        this.metrics = metrics;
        this.request = request;
        this.response = response;
        this.callback = callback;
        this.startNanos = handler.settings().clock().nanoTime();
        this.hasBody = request.getLength() > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
    }

    void start() {
        Optional<Lease> lease = router.lease(this);
        if (lease.isEmpty()) {
            metrics.error(ProxyError.NO_REPLICA);
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
            replyError(HttpStatus.SERVICE_UNAVAILABLE_503, "no replica available\n");
            return;
        }
        send(lease.get());
    }

    private void send(Lease lease) {
        org.eclipse.jetty.client.Request outbound = handler.client()
                .newRequest(handler.origin(lease.backend().endpoint()))
                .method(request.getMethod())
                .path(request.getHttpURI().getPathQuery())
                .headers(this)
                .headers(headers -> headers.put(handler.hostField(lease.backend().endpoint())));
        if (hasBody) {
            outbound.body(this);
        }
        outbound.send(new Attempt(this, lease));
    }

    /**
     * Whether an attempt on {@code failed} that failed or answered 502/503/504 may go once more to
     * another replica. The failed replica may have left the routable set meanwhile (the probe
     * ejected it, its exit was reported), so what counts is that some other replica is routable.
     */
    boolean mayRetry(Backend failed) {
        return !retried && !bodyTouched && isIdempotent(request.getMethod())
                && hasOtherRoutable(failed) && handler.budget().tryWithdraw();
    }

    private boolean hasOtherRoutable(Backend failed) {
        for (Backend backend : router.routable()) {
            if (!backend.id().equals(failed.id())) {
                return true;
            }
        }
        return false;
    }

    /** Sends the request to another replica after a short random pause; {@link #mayRetry(Backend)} said yes. */
    void retry(Backend failed, int fallbackStatus) {
        retried = true;
        metrics.retry();
        long maxPause = handler.settings().maxRetryBackoff().toMillis();
        long pause = maxPause == 0 ? 0 : handler.settings().random().nextLong(maxPause + 1);
        Runnable again = () -> sendExcluding(failed, fallbackStatus);
        if (pause == 0) {
            again.run();
        } else {
            handler.client().getScheduler().schedule(again, pause, TimeUnit.MILLISECONDS);
        }
    }

    /** A replica refused the connection: nothing reached it, so any method may go elsewhere. */
    void connectFailed(Backend failed) {
        if (bodyTouched || connectRetries >= MAX_CONNECT_RETRIES) {
            replyError(HttpStatus.BAD_GATEWAY_502, "no replica accepted the connection\n");
            return;
        }
        connectRetries++;
        metrics.retry();
        sendExcluding(failed, HttpStatus.BAD_GATEWAY_502);
    }

    /**
     * Leases a replica other than {@code failed}, and other than the one that failed before it
     * when the router offers that one again (its lease is handed back as cancelled).
     */
    private void sendExcluding(Backend failed, int fallbackStatus) {
        Backend earlier = lastFailed;
        lastFailed = failed;
        for (int tries = 0; tries < 2; tries++) {
            Optional<Lease> lease = router.leaseExcluding(this, failed);
            if (lease.isEmpty()) {
                break;
            }
            if (earlier == null || !lease.get().backend().id().equals(earlier.id())) {
                send(lease.get());
                return;
            }
            lease.get().fail(Lease.Failure.CANCELLED);
        }
        replyError(fallbackStatus, "no other replica available\n");
    }

    /** Copies a replica's status and headers to the client's response. */
    void passHeaders(org.eclipse.jetty.client.Response replica) {
        response.setStatus(replica.getStatus());
        ForwardedHeaders.copyResponse(replica.getHeaders(), response.getHeaders());
    }

    /** The gateway answers instead of a replica, or aborts the connection once headers went out. */
    void replyError(int status, String message) {
        if (response.isCommitted()) {
            abort(new IllegalStateException("replica failed after the response was committed"));
            return;
        }
        response.reset();
        if (status == HttpStatus.SERVICE_UNAVAILABLE_503) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
        }
        ForwardingHandler.reply(response, Callback.from(this::succeeded, this::abort), status, message);
    }

    /** 413: the body grew past the limit while streaming; the rest is read and dropped first. */
    void replyTooLarge() {
        if (response.isCommitted()) {
            abort(new IllegalStateException("request body too large after the response was committed"));
            return;
        }
        response.reset();
        ForwardingHandler.reply(response, Callback.from(
                        () -> BodyDiscarder.discardRest(request, Callback.from(this::succeeded, this::abort)),
                        this::abort),
                HttpStatus.PAYLOAD_TOO_LARGE_413, "request body too large\n");
    }

    void succeeded() {
        finish();
        callback.succeeded();
    }

    void abort(Throwable failure) {
        finish();
        callback.failed(failure);
    }

    private void finish() {
        metrics.latency(handler.settings().clock().nanoTime() - startNanos);
        handler.release();
    }

    ServiceMetrics metrics() {
        return metrics;
    }

    /** The gateway clock's time now. */
    long nanoTime() {
        return handler.settings().clock().nanoTime();
    }

    static boolean isIdempotent(String method) {
        switch (method) {
            case "GET":
            case "HEAD":
            case "OPTIONS":
            case "PUT":
            case "DELETE":
                return true;
            default:
                return false;
        }
    }

    // ---- RouteRequest: a view over the Jetty request ----

    @Override
    public String method() {
        return request.getMethod();
    }

    @Override
    public String path() {
        return request.getHttpURI().getPath();
    }

    @Override
    public String header(String name) {
        return request.getHeaders().get(name);
    }

    @Override
    public String clientAddress() {
        return Request.getRemoteAddr(request);
    }

    // ---- headers of the request to the replica ----

    @Override
    public void accept(HttpFields.Mutable headers) {
        ForwardedHeaders.copyRequest(request, headers);
    }

    // ---- body of the request to the replica: the client's body, counted ----

    @Override
    public long getLength() {
        return request.getLength();
    }

    @Override
    public Content.Chunk read() {
        Content.Chunk chunk = request.read();
        if (chunk == null || !chunk.hasRemaining()) {
            return chunk;
        }
        bodyTouched = true;
        bodyBytes += chunk.remaining();
        if (bodyBytes > handler.settings().maxRequestBodyBytes()) {
            chunk.release();
            return Content.Chunk.from(new Failures.RequestBodyTooLargeException(
                    handler.settings().maxRequestBodyBytes()), true);
        }
        return chunk;
    }

    @Override
    public void demand(Runnable demandCallback) {
        request.demand(demandCallback);
    }

    /**
     * The client library gives up on this body (the attempt failed). The client's body is left
     * alone: a retry may still read it if nothing was read yet, and Jetty discards the rest once
     * the response is complete.
     */
    @Override
    public void fail(Throwable failure) {
        // nothing to do: see above
    }

    @Override
    public boolean rewind() {
        return false;
    }

    @Override
    public String getContentType() {
        return request.getHeaders().get(HttpHeader.CONTENT_TYPE);
    }
}
