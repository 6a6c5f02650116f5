package io.longshore.jetty.internal.embedded;

import io.longshore.jetty.internal.accesslog.AccessLogEntry;
import io.longshore.jetty.internal.metrics.ServiceMetrics;
import io.longshore.jetty.internal.policy.GatewayReply;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * How an {@link Exchange} ends, once: with the gateway's own answer ({@link #reply}), the
 * replica's response complete ({@link #succeeded}, {@link #finishWithoutBody}) or the client's
 * response aborted ({@link #abort}). Its {@link RequestEnd} settles the request's latency, its
 * access-log line and its place in the gateway, then the host's callback is completed. Thread-safe.
 */
final class ExchangeEnd {
    private final Request request;
    private final Response response;
    private final Callback callback;
    private final AttemptLog attempts;
    /** Whether the client's request has a body whose last byte has not been read yet. */
    private final BooleanSupplier bodyPending;
    private final RequestEnd requestEnd;

    ExchangeEnd(EmbeddedProxy proxy, ServiceMetrics metrics, Request request, Response response, Callback callback,
                long startNanos, AttemptLog attempts, BooleanSupplier bodyPending) {
        this.request = request;
        this.response = response;
        this.callback = callback;
        this.attempts = attempts;
        this.bodyPending = bodyPending;
        this.requestEnd = new RequestEnd(proxy, metrics, request, startNanos);
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
        boolean close = bodyPending.getAsBoolean();
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
        int status = aborted && !response.isCommitted() ? AccessLogEntry.CLIENT_GONE : response.getStatus();
        return requestEnd.end(status, Response.getContentBytesWritten(response), attempts::upstream);
    }
}
