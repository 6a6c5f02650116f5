package io.longshore.jetty.internal.embedded;

import io.longshore.api.Backend;
import io.longshore.core.Lease;
import io.longshore.jetty.internal.metrics.ProxyError;
import io.longshore.jetty.internal.policy.RetryRules;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.Callback;

/**
 * One try of an {@link Exchange} on one leased replica through Jetty's client: relays the
 * replica's status and headers, then its body through {@link Content#copy}, or, when a
 * 502/503/504 goes to another replica, drains it. Once both the replica's exchange and the body
 * copy have ended it reports the lease exactly once and decides, by the gateway's rules, between
 * the end of the request, a retry and the gateway's own answer; where a failure leads is its
 * {@link AttemptFailure}'s to say. The body is copied through a {@link ReportingBody}, which
 * reports the lease when its last byte is read. Its {@link AttemptConnection} waits for a pooled
 * connection (none free within the connect timeout counts as refused) and has the connection
 * carry the attempt: the replica's silence counts against the response timeout only while the
 * attempt does not {@link #waitsForClient wait for its client}. Its
 * {@link Callback} side is the end of the body copy; Jetty serializes the listener events of one
 * response.
 */
final class Attempt implements Response.Listener, Callback, Runnable, Request.BeginListener,
        ReplicaConnector.CarriedRequest {
    private final Exchange exchange;
    private final Backend backend;
    private final Request outbound;
    private final AttemptConnection connection;
    /** The replica's body as the copy to the client reads it, once relayed. */
    private volatile ReportingBody relayed;
    /**
     * Whether the replica's status line arrived: only an attempt that got nothing may be a stale
     * connection's (a head Jetty's parser refused shows in the failure instead).
     */
    private volatile boolean responseArrived;
    private int status;
    private boolean discard;
    private boolean relaying;
    private Content.Source source;
    private Response replica;
    private Result result;
    private boolean copyEnded;
    private Throwable copyFailure;
    private boolean decided;
    private boolean reported;

    Attempt(Exchange exchange, Backend backend, Request outbound, ReplicaClient replicas) {
        this.exchange = exchange;
        this.backend = backend;
        this.outbound = outbound;
        this.connection = new AttemptConnection(replicas, outbound);
    }

    void send() {
        outbound.onRequestBegin(this);
        connection.awaited();
        outbound.send(this);
    }

    /** A connection was found: the request starts going out. */
    @Override
    public void onBegin(Request request) {
        connection.found();
        exchange.attempts.connected();
        connection.carry(request, this);
    }

    /**
     * Whether the replica is silent because the client is: the replica has all of the body the
     * client sent so far, or the client is slow to take the response's bytes.
     */
    @Override
    public boolean waitsForClient() {
        ReportingBody body = relayed;
        return exchange.waitsForClientBody() || body != null && body.isWriting();
    }

    @Override
    public void onBegin(Response response) {
        responseArrived = true;
        exchange.attempts.firstByte();
    }

    @Override
    public void onHeaders(Response response) {
        try {
            takeHeaders(response);
        } catch (RuntimeException | Error e) { // Jetty's client would only log it, and the exchange hang
            exchange.internalFailure(e);
        }
    }

    private void takeHeaders(Response response) {
        if (response.getVersion() != HttpVersion.HTTP_1_1 && response.getVersion() != HttpVersion.HTTP_1_0) {
            // Jetty's parser takes any version it knows (HTTP/2.0, HTTP/0.9) on an HTTP/1.1 connection
            response.abort(new Failures.BadResponseException("a response in " + response.getVersion()));
            return;
        }
        int code = response.getStatus();
        if (code < 100 || code > 599) { // Jetty's parser takes any three digits; RFC 9110 15 allows 100..599
            response.abort(new Failures.BadResponseException("status code " + code));
            return;
        }
        if (code == HttpStatus.SWITCHING_PROTOCOLS_101) {
            response.abort(new Failures.BadResponseException("the replica tried to switch protocols"));
            return;
        }
        if (HttpStatus.isInterim(code)) {
            return; // passed on by InterimResponses; the final response follows on this listener
        }
        boolean bodyless = exchange.isHeadRequest() || code == HttpStatus.NO_CONTENT_204
                || code == HttpStatus.NOT_MODIFIED_304;
        HttpFields headers = response.getHeaders();
        if (!bodyless && hasCodingOtherThanChunked(headers)) {
            // Jetty's client takes the chunked framing off and its server puts its own on: the
            // other coding would be lost on the way, so the body cannot be relayed as sent
            response.abort(new Failures.UnrelayableResponseException("a transfer coding other than chunked: "
                    + headers.get(HttpHeader.TRANSFER_ENCODING)));
            return;
        }
        exchange.responseBegun();
        status = code;
        if (RetryRules.isRetriedStatus(status) && exchange.mayRetryElsewhere(backend)) {
            discard = true;
            return;
        }
        boolean length = bodyless || headers.contains(HttpHeader.CONTENT_LENGTH);
        exchange.client.passHeaders(response, backend, !length && !headers.contains(HttpHeader.TRANSFER_ENCODING),
                length, exchange.requestBodyPending());
    }

    /** Whether {@code headers} name a transfer coding other than {@code chunked} ({@code gzip, chunked}). */
    private static boolean hasCodingOtherThanChunked(HttpFields headers) {
        for (String value : headers.getValuesList(HttpHeader.TRANSFER_ENCODING)) {
            for (String coding : value.split(",")) {
                String name = coding.trim();
                if (!name.isEmpty() && !name.equalsIgnoreCase("chunked")) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public void onContentSource(Response response, Content.Source source) {
        this.replica = response;
        this.source = source;
        if (discard) {
            run();
            return;
        }
        synchronized (this) {
            relaying = true;
        }
        relayed = new ReportingBody(source, response.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH),
                this::report);
        Content.copy(relayed, exchange.response, this);
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

    /**
     * The replica's whole response is in (a drained one too): its lease is reported, once. If it
     * answered before the client's body ended (a 413, a 501, an early error), it will take no
     * more of the body, so sending the rest is given up: the exchange completes with the
     * response instead of waiting for a body the client may never finish (HTTP/2 clients stop
     * sending a stream's body once its response is in).
     */
    @Override
    public void onSuccess(Response response) {
        report();
        if (exchange.requestBodyPending()) {
            outbound.abort(new Failures.AnsweredBeforeBodyEndedException());
        }
    }

    private void report() {
        synchronized (this) {
            if (reported) {
                return;
            }
            reported = true;
        }
        exchange.answered(backend, status);
    }

    @Override
    public void onComplete(Result outcome) {
        connection.ended(this);
        synchronized (this) {
            result = outcome;
        }
        decideOnce();
    }

    /** The body copy ended: the client has the whole response. */
    @Override
    public void succeeded() {
        synchronized (this) {
            copyEnded = true;
        }
        decideOnce();
    }

    /** The body copy failed: the replica broke off mid-body or timed out, or the client went away. */
    @Override
    public void failed(Throwable failure) {
        if (!replicaFailed()) {
            replica.abort(new Failures.ClientGoneException(failure));
        }
        synchronized (this) {
            copyEnded = true;
            copyFailure = failure;
        }
        decideOnce();
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

    private void decideOnce() {
        synchronized (this) {
            if (decided || result == null || relaying && !copyEnded) {
                return;
            }
            decided = true;
        }
        if (exchange.isBroken()) {
            return; // the exchange answered for itself, its lease let go of
        }
        try {
            decide();
        } catch (RuntimeException | Error e) {
            exchange.internalFailure(e);
        }
    }

    private void decide() {
        if (result.getResponseFailure() == null && status != 0) {
            answered();
            return;
        }
        Throwable failure = result.getFailure();
        Lease.Failure kind = Failures.classify(failure);
        if (!responseArrived && !Failures.isMalformedResponse(failure) && kind == Lease.Failure.RESET
                && exchange.mayRetryStale(connection.isReused())) {
            exchange.resend(backend); // a pooled connection the replica had just closed says nothing about it
            return;
        }
        new AttemptFailure(exchange, backend).settle(failure, kind, discard, status, relaying);
    }

    /** The replica's whole response is in. */
    private void answered() {
        report();
        if (discard) {
            exchange.retryLater(backend, status);
        } else if (!relaying) {
            exchange.end.finishWithoutBody();
        } else if (copyFailure == null) {
            exchange.end.succeeded();
        } else {
            exchange.error(ProxyError.CANCELLED);
            exchange.end.abort(copyFailure);
        }
    }

    @Override
    public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING;
    }
}
