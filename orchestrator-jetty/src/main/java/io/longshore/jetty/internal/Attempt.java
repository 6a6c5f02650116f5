package io.longshore.jetty.internal;

import io.longshore.api.Backend;
import io.longshore.core.Lease;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.Callback;

/**
 * One try of an {@link Exchange} on one leased replica: relays the replica's response to the
 * client as it arrives (status and headers, then the body through {@link Content#copy}), or,
 * when a 502/503/504 may be retried elsewhere, drains it and hands the exchange to another
 * replica. Reports the outcome to the lease exactly once. Its {@link Callback} side is the end
 * of the body copy. Jetty serializes the listener events of one response.
 */
final class Attempt implements Response.Listener, Callback, Runnable {
    private final Exchange exchange;
    private final Lease lease;
    private final long startNanos;
    private int status;
    private boolean discard;
    private boolean relaying;
    private Content.Source source;
    private Response replica;

    Attempt(Exchange exchange, Lease lease) {
        this.exchange = exchange;
        this.lease = lease;
        this.startNanos = exchange.nanoTime();
    }

    @Override
    public void onHeaders(Response response) {
        if (HttpStatus.isInterim(response.getStatus())) {
            return; // 1xx: the final response follows on the same listener
        }
        status = response.getStatus();
        if (isRetriedStatus(status) && exchange.mayRetry(lease.backend())) {
            discard = true;
            return;
        }
        exchange.passHeaders(response);
    }

    @Override
    public void onContentSource(Response response, Content.Source source) {
        replica = response;
        this.source = source;
        if (discard) {
            run();
            return;
        }
        relaying = true;
        Content.copy(source, exchange.response, this);
    }

    /** Drains a response that will be retried, so its connection can be reused. */
    @Override
    public void run() {
        while (true) {
            Content.Chunk chunk = source.read();
            if (chunk == null) {
                source.demand(this);
                return;
            }
            chunk.release();
            if (chunk.isLast()) {
                return;
            }
        }
    }

    @Override
    public void onComplete(Result result) {
        Backend backend = lease.backend();
        Throwable failure = result.getFailure();
        if (failure == null || (relaying && result.getResponseFailure() == null && status != 0)) {
            lease.complete(status);
            long end = exchange.nanoTime();
            exchange.metrics().outcome(backend, status, end, end - startNanos);
            if (discard) {
                exchange.retry(backend, status);
            } else if (!relaying) {
                exchange.replyError(HttpStatus.BAD_GATEWAY_502, "replica sent no response body\n");
            }
            return;
        }
        Lease.Failure kind = Failures.classify(failure);
        lease.fail(kind);
        long end = exchange.nanoTime();
        exchange.metrics().outcome(backend, 0, end, end - startNanos);
        if (discard) {
            exchange.retry(backend, status);
        } else if (!relaying) {
            failedBeforeResponse(kind, failure, backend);
        }
    }

    private void failedBeforeResponse(Lease.Failure kind, Throwable failure, Backend backend) {
        if (Failures.isBodyTooLarge(failure)) {
            exchange.metrics().error(ProxyError.BODY_TOO_LARGE);
            exchange.replyTooLarge();
        } else if (Failures.isRejected(failure)) {
            exchange.metrics().error(ProxyError.OVERLOADED);
            exchange.replyError(HttpStatus.SERVICE_UNAVAILABLE_503, "gateway overloaded\n");
        } else if (kind == Lease.Failure.CONNECT) {
            exchange.metrics().error(ProxyError.CONNECT);
            exchange.connectFailed(backend);
        } else if (kind == Lease.Failure.CANCELLED) {
            exchange.metrics().error(ProxyError.CANCELLED);
            exchange.abort(failure);
        } else {
            boolean timeout = kind == Lease.Failure.TIMEOUT;
            exchange.metrics().error(timeout ? ProxyError.TIMEOUT : ProxyError.RESET);
            if (exchange.mayRetry(backend)) {
                exchange.retry(backend, timeout ? HttpStatus.GATEWAY_TIMEOUT_504 : HttpStatus.BAD_GATEWAY_502);
            } else {
                exchange.replyError(timeout ? HttpStatus.GATEWAY_TIMEOUT_504 : HttpStatus.BAD_GATEWAY_502,
                        timeout ? "replica timed out\n" : "replica failed\n");
            }
        }
    }

    /** The body copy ended: the client has the whole response. */
    @Override
    public void succeeded() {
        exchange.succeeded();
    }

    /** The body copy failed: the replica broke off mid-body, timed out, or the client went away. */
    @Override
    public void failed(Throwable failure) {
        Lease.Failure kind = replicaFailed() ? Failures.classify(failure) : Lease.Failure.CANCELLED;
        replica.abort(new Failures.ClientGoneException(failure));
        boolean timeout = kind == Lease.Failure.TIMEOUT;
        exchange.metrics().error(timeout ? ProxyError.TIMEOUT
                : kind == Lease.Failure.CANCELLED ? ProxyError.CANCELLED : ProxyError.RESET);
        if (exchange.response.isCommitted() || kind == Lease.Failure.CANCELLED) {
            exchange.abort(failure);
        } else if (exchange.mayRetry(lease.backend())) {
            exchange.response.reset(); // nothing reached the client yet: try another replica
            exchange.retry(lease.backend(), timeout ? HttpStatus.GATEWAY_TIMEOUT_504 : HttpStatus.BAD_GATEWAY_502);
        } else {
            exchange.replyError(timeout ? HttpStatus.GATEWAY_TIMEOUT_504 : HttpStatus.BAD_GATEWAY_502,
                    timeout ? "replica timed out\n" : "replica failed\n");
        }
    }

    /** Whether the body copy failed on the replica's side (its source holds the failure) rather than the client's. */
    private boolean replicaFailed() {
        Content.Chunk chunk = source.read();
        if (chunk == null) {
            return false;
        }
        chunk.release();
        return Content.Chunk.isFailure(chunk);
    }

    @Override
    public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING;
    }

    private static boolean isRetriedStatus(int status) {
        return status == HttpStatus.BAD_GATEWAY_502 || status == HttpStatus.SERVICE_UNAVAILABLE_503
                || status == HttpStatus.GATEWAY_TIMEOUT_504;
    }
}
