package io.longshore.jetty.internal.embedded;

import io.longshore.jetty.internal.accesslog.AccessLogEntry;
import io.longshore.jetty.internal.accesslog.AccessLogWriter;
import io.longshore.jetty.internal.policy.GatewayReply;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Request;

/** Builds the embedded handler's access-log entries from the host server's requests. Stateless. */
final class AccessLogging {
    private AccessLogging() {
    }

    /** What the attempts of one request add to its entry. */
    record Upstream(String replica, int status, int retries, long connectNanos, long firstByteNanos) {
        static final Upstream NONE = new Upstream(null, 0, 0, -1, -1);
    }

    /** Logs {@code request}, answered {@code status} with {@code bytes} body bytes. */
    static void log(AccessLogWriter log, long epochMillis, Request request, int status, long bytes, String service,
                    Upstream upstream, long totalNanos) {
        HttpURI uri = request.getHttpURI();
        String target = uri.getQuery() == null ? uri.getPath() : uri.getPath() + "?" + uri.getQuery();
        log.log(new AccessLogEntry(epochMillis, Request.getRemoteAddr(request), request.getMethod(), target,
                request.getConnectionMetaData().getProtocol(), status, bytes, service, upstream.replica(),
                upstream.status(), upstream.retries(), totalNanos, upstream.connectNanos(), upstream.firstByteNanos(),
                request.getHeaders().get(HttpHeader.REFERER), request.getHeaders().get(HttpHeader.USER_AGENT)));
    }

    /** Logs a request the handler answered itself before any attempt. */
    static void logReply(AccessLogWriter log, long epochMillis, Request request, GatewayReply reply, String service) {
        log(log, epochMillis, request, reply.status(), reply.body().length(), service, Upstream.NONE, 0);
    }
}
