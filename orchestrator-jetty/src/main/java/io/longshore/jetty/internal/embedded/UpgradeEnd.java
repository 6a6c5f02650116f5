package io.longshore.jetty.internal.embedded;

import io.longshore.api.Backend;
import io.longshore.jetty.internal.accesslog.AccessLogEntry;
import io.longshore.jetty.internal.codec.ResponseHead;
import io.longshore.jetty.internal.metrics.ServiceMetrics;
import io.longshore.jetty.internal.policy.GatewayReply;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * How an {@link UpgradeExchange} ends, once: with the gateway's own answer ({@link #reply}), the
 * replica's answer without a switch relayed ({@link #relay}), its tunnel closed
 * ({@link #tunnelClosed}, after the 101 went out through {@link #sendSwitch}), the client gone
 * ({@link #clientGone}) or the client's response aborted ({@link #abort}). Its {@link RequestEnd}
 * settles the request's latency (a tunnel's is its handshake), its access-log line and its place
 * in the gateway; the host's callback is completed as the answer's write ends. Thread-safe.
 */
final class UpgradeEnd {
    private final Response response;
    private final Callback callback;
    private final RequestEnd requestEnd;

    /** @param startNanos when the exchange began, on the gateway's clock */
    UpgradeEnd(EmbeddedProxy proxy, ServiceMetrics metrics, Request request, Response response, Callback callback,
               long startNanos) {
        this.response = response;
        this.callback = callback;
        this.requestEnd = new RequestEnd(proxy, metrics, request, startNanos);
    }

    /** The gateway answers instead of a replica. */
    void reply(GatewayReply reply) {
        Replies.send(response, Callback.from(() -> {
            end(reply.status(), reply.body().length(), null);
            callback.succeeded();
        }, failure -> {
            end(reply.status(), 0, null);
            callback.failed(failure);
        }), reply, false);
    }

    /**
     * The replica {@code backend} answered without switching: {@code answer} and {@code body} go
     * to the client as they came ({@code headRequest}: without a {@code Content-Length} of its own).
     */
    void relay(ResponseHead answer, byte[] body, Backend backend, boolean headRequest) {
        response.setStatus(answer.status());
        UpgradeHead.copyResponse(answer, response.getHeaders(), false);
        if (!headRequest) {
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        }
        response.write(true, ByteBuffer.wrap(body), Callback.from(() -> {
            end(answer.status(), body.length, backend);
            callback.succeeded();
        }, failure -> {
            end(answer.status(), 0, backend);
            callback.failed(failure);
        }));
    }

    /** The replica switched at {@code nowNanos} of the gateway's clock: the request's latency ends there. */
    void switched(long nowNanos) {
        requestEnd.latencyEnded(nowNanos);
    }

    /** The 101 whose head the response holds goes to the client; if it cannot be written, {@code unwritten} runs. */
    void sendSwitch(Runnable unwritten) {
        response.write(true, BufferUtil.EMPTY_BUFFER, Callback.from(callback::succeeded, failure -> {
            callback.failed(failure);
            unwritten.run();
        }));
    }

    /** The tunnel to {@code backend} closed, {@code toClient} bytes sent down it. */
    void tunnelClosed(long toClient, Backend backend) {
        end(101, toClient, backend);
    }

    /** The client left before the replica {@code backend} answered: nobody is answered. */
    void clientGone(Backend backend, Throwable failure) {
        end(AccessLogEntry.CLIENT_GONE, 0, backend, 0);
        callback.failed(failure);
    }

    /** The gateway failed once part of the response went out: the client's response is aborted. */
    void abort(Throwable failure) {
        end(GatewayReply.GATEWAY_FAILED.status(), 0, null);
        callback.failed(failure);
    }

    private void end(int status, long bytes, Backend backend) {
        end(status, bytes, backend, status == 101 || backend != null ? status : 0);
    }

    /** Ends the exchange once: its latency, its access log line ({@code upstreamStatus} the replica's answer). */
    private void end(int status, long bytes, Backend backend, int upstreamStatus) {
        requestEnd.end(status, bytes, () -> new AccessLogging.Upstream(backend == null ? null : backend.id(),
                upstreamStatus, 0, -1, -1));
    }
}
