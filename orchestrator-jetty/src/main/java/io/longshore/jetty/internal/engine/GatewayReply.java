package io.longshore.jetty.internal.engine;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The responses the gateway gives itself instead of a replica's, encoded once: plain text
 * with its length, {@code Retry-After: 1} on 503s, and either kept alive or closing. Immutable.
 */
enum GatewayReply {
    BAD_REQUEST(400, "bad request"),
    NOT_FOUND(404, "no route for this path"),
    REQUEST_TIMEOUT(408, "request body not received in time"),
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
    REPLICA_TIMED_OUT(504, "replica timed out"),
    VERSION_NOT_SUPPORTED(505, "HTTP version not supported");

    private final int status;
    private final byte[] keepAlive;
    private final byte[] closing;

    GatewayReply(int status, String message) {
        this.status = status;
        this.keepAlive = encode(status, message, false);
        this.closing = encode(status, message, true);
    }

    private static byte[] encode(int status, String message, boolean close) {
        byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + " " + reason(status) + "\r\n"
                + "Content-Type: text/plain;charset=utf-8\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + (status == 503 ? "Retry-After: 1\r\n" : "")
                + (close ? "Connection: close\r\n" : "")
                + "\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        System.arraycopy(body, 0, all, headBytes.length, body.length);
        return all;
    }

    private static String reason(int status) {
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

    int status() {
        return status;
    }

    /** The encoded response, as a fresh read-only view. */
    ByteBuffer bytes(boolean close) {
        return ByteBuffer.wrap(close ? closing : keepAlive).asReadOnlyBuffer();
    }

    /** The reply when a retry after {@code status} found no other replica. */
    static GatewayReply noOtherReplica(int status) {
        return status == 503 ? NO_OTHER_REPLICA_503 : status == 504 ? NO_OTHER_REPLICA_504 : NO_OTHER_REPLICA;
    }

    /** The reply for a request head the parser rejected with {@code status}. */
    static GatewayReply forParseError(int status) {
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
