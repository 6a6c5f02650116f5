package io.longshore.jetty.internal.embedded;

import io.longshore.jetty.internal.metrics.ProxyError;
import io.longshore.jetty.internal.metrics.ServiceMetrics;
import io.longshore.jetty.internal.policy.WaitingRequest;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.io.EofException;

/**
 * An {@link Exchange}'s watch on its client and on the replica request in flight for it: once
 * the host server sees the client's connection fail (or its HTTP/2 stream reset), a request
 * still waiting for a replica leaves the line and ends, the replica request in flight is
 * aborted, and no attempt is sent after that. Thread-safe: the failure comes on the host's
 * threads, the attempts on the client's.
 */
final class ClientDeparture {
    private final WaitingRequest waiting;
    private final RequestBody body;
    private final ServiceMetrics metrics;
    private final ExchangeEnd end;
    /** The request to the replica in flight now, to abort when the client goes away. */
    private volatile Request outbound;
    /** Why the client went away, once it did: no attempt starts after that. */
    private volatile Throwable gone;

    ClientDeparture(WaitingRequest waiting, RequestBody body, ServiceMetrics metrics, ExchangeEnd end) {
        this.waiting = waiting;
        this.body = body;
        this.metrics = metrics;
        this.end = end;
    }

    /** Why the client went away, or {@code null} while it has not. */
    Throwable gone() {
        return gone;
    }

    /**
     * {@code request} is the replica request in flight from now on; if the client went away while
     * it was made, it fails at once (its lease as cancelled).
     */
    void sending(Request request) {
        this.outbound = request;
        Throwable left = gone;
        if (left != null) {
            request.abort(new Failures.ClientGoneException(left));
        }
    }

    /** Aborts the replica request in flight, if any, with {@code failure}. */
    void abortOutbound(Throwable failure) {
        Request current = outbound;
        if (current != null) {
            current.abort(failure);
        }
    }

    /** The host server saw the client's connection fail: the replica's work is given up. */
    void clientFailed(Throwable failure) {
        gone = failure;
        if (waiting.leave()) {
            metrics.error(ProxyError.CANCELLED);
            end.abort(new Failures.ClientGoneException(failure));
            return;
        }
        abortOutbound(new Failures.ClientGoneException(failure));
    }

    /** The client's HTTP/2 stream was reset without Jetty telling the request (see {@link StreamResets}). */
    void streamReset() {
        Throwable failure = new EofException("the client's HTTP/2 stream was reset");
        body.clientReset(failure);
        clientFailed(failure);
    }
}
