package io.longshore.jetty.internal.accesslog;

/**
 * One request as the access log writes it. Immutable.
 *
 * @param epochMillis    when the request ended (wall clock)
 * @param client         the client's address
 * @param method         the method, {@code null} when the request head could not be read
 * @param target         the path and query as received, {@code null} likewise
 * @param protocol       {@code HTTP/1.0} or {@code HTTP/1.1}
 * @param status         the status the client got; 499 when it went away before one
 * @param bytes          body bytes sent to the client
 * @param service        the route's service, {@code null} when no route matched
 * @param replica        the replica of the last attempt, {@code null} when none was leased
 * @param upstreamStatus the status that replica answered, 0 when it did not answer
 * @param retries        attempts beyond the first
 * @param totalNanos     from the request's head to the end of its response
 * @param connectNanos   how long the last attempt waited for its replica connection, -1 for none
 * @param firstByteNanos from the request's head to the replica's first response byte, -1 for none
 * @param referer        the {@code Referer} field, or {@code null}
 * @param userAgent      the {@code User-Agent} field, or {@code null}
 */
public record AccessLogEntry(long epochMillis, String client, String method, String target, String protocol,
                             int status, long bytes, String service, String replica, int upstreamStatus, int retries,
                             long totalNanos, long connectNanos, long firstByteNanos, String referer,
                             String userAgent) {
    /** The status logged for a client that went away before it was answered (as nginx logs it). */
    public static final int CLIENT_GONE = 499;
}
