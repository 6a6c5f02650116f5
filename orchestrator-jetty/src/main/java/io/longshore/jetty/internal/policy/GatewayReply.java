package io.longshore.jetty.internal.policy;

import io.longshore.core.Lease;

/**
 * Every answer the gateway gives itself instead of a replica's, for both proxies: the status,
 * a one-line plain-text message, and {@code Retry-After: 1} on the 503s. Which situation gets
 * which answer is decided here too ({@link #forParseError}, {@link #noOtherReplica},
 * {@link #forFailure}). Immutable.
 */
public enum GatewayReply {
    BAD_REQUEST(400, "bad request"),
    NOT_FOUND(404, "no route for this path"),
    REQUEST_TIMEOUT(408, "request body not received in time"),
    REQUEST_HEAD_TIMEOUT(408, "request head not received in time"),
    BODY_TOO_LARGE(413, "request body too large"),
    URI_TOO_LONG(414, "request target too long"),
    EXPECTATION_FAILED(417, "unsupported expectation"),
    HEADERS_TOO_LARGE(431, "request header fields too large"),
    UNSUPPORTED(501, "CONNECT and transfer codings other than chunked are not supported"),
    NO_REPLICA_ACCEPTED(502, "no replica accepted the connection"),
    NO_OTHER_REPLICA(502, "no other replica available"),
    NO_OTHER_REPLICA_503(503, "no other replica available"),
    NO_OTHER_REPLICA_504(504, "no other replica available"),
    REPLICA_FAILED(502, "replica failed"),
    GATEWAY_FAILED(502, "gateway failed to forward the request"),
    NO_REPLICA(503, "no replica available"),
    OVERLOADED(503, "gateway overloaded"),
    LINE_FULL(503, "too many requests waiting for a replica"),
    WAIT_TIMED_OUT(503, "no replica became available in time"),
    REPLICA_TIMED_OUT(504, "replica timed out"),
    VERSION_NOT_SUPPORTED(505, "HTTP version not supported");

    /** The {@code Retry-After} seconds the 503s carry. */
    public static final int RETRY_AFTER_SECONDS = 1;

    private final int status;
    private final String message;

    GatewayReply(int status, String message) {
        this.status = status;
        this.message = message;
    }

    public int status() {
        return status;
    }

    /** The body: one line of plain text, with its line end. */
    public String body() {
        return message + "\n";
    }

    /** Whether the answer carries {@code Retry-After} (the client may try again soon). */
    public boolean retryAfter() {
        return status == 503;
    }

    /** The reason phrase of the status line. */
    public String reason() {
        return switch (status) {
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 408 -> "Request Timeout";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 417 -> "Expectation Failed";
            case 431 -> "Request Header Fields Too Large";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            case 505 -> "HTTP Version Not Supported";
            default -> "Error";
        };
    }

    /** The answer when a retry after {@code status} (502, 503, 504) found no other replica. */
    public static GatewayReply noOtherReplica(int status) {
        return status == 503 ? NO_OTHER_REPLICA_503 : status == 504 ? NO_OTHER_REPLICA_504 : NO_OTHER_REPLICA;
    }

    /** The status a failed attempt stands for when it is retried: 504 for a timeout, else 502. */
    public static int statusOf(Lease.Failure failure) {
        return failure == Lease.Failure.TIMEOUT ? 504 : 502;
    }

    /** The answer when an attempt failed this way and cannot be retried. */
    public static GatewayReply forFailure(Lease.Failure failure) {
        return switch (failure) {
            case TIMEOUT -> REPLICA_TIMED_OUT;
            case CONNECT -> NO_REPLICA_ACCEPTED;
            default -> REPLICA_FAILED;
        };
    }

    /** The answer to a request head refused with {@code status}. */
    public static GatewayReply forParseError(int status) {
        return switch (status) {
            case 414 -> URI_TOO_LONG;
            case 417 -> EXPECTATION_FAILED;
            case 431 -> HEADERS_TOO_LARGE;
            case 501 -> UNSUPPORTED;
            case 505 -> VERSION_NOT_SUPPORTED;
            default -> BAD_REQUEST;
        };
    }
}
