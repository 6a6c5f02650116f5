package io.longshore.jetty.internal.codec;

import io.longshore.jetty.internal.policy.GatewayReply;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The gateway's own {@link GatewayReply replies} as HTTP/1.1 responses, encoded once: plain text
 * with its length, {@code Retry-After} where the reply asks for it, and the
 * {@link HeadWriter.ConnectionOption Connection option} the client is to be told (none, close, or
 * keep-alive for an HTTP/1.0 client whose connection is kept). Immutable; thread-safe.
 */
public final class EncodedReplies {
    /** Each reply with each connection option, by the option's and the reply's ordinal. */
    private final byte[][][] encoded;
    /** The length of each of them without its body. */
    private final int[][] headLength;

    public EncodedReplies() {
        HeadWriter.ConnectionOption[] options = HeadWriter.ConnectionOption.values();
        GatewayReply[] replies = GatewayReply.values();
        encoded = new byte[options.length][replies.length][];
        headLength = new int[options.length][replies.length];
        for (HeadWriter.ConnectionOption option : options) {
            for (GatewayReply reply : replies) {
                byte[] bytes = encode(reply, option);
                encoded[option.ordinal()][reply.ordinal()] = bytes;
                headLength[option.ordinal()][reply.ordinal()] = bytes.length - bodyBytes(reply);
            }
        }
    }

    /** {@code reply} as bytes on the wire, saying {@code connection}, in a fresh read-only buffer. */
    public ByteBuffer bytes(GatewayReply reply, HeadWriter.ConnectionOption connection) {
        return ByteBuffer.wrap(encoded[connection.ordinal()][reply.ordinal()]).asReadOnlyBuffer();
    }

    /**
     * {@code reply} as the answer to a {@code HEAD} request: the same head, {@code Content-Length}
     * included, and no body (RFC 9110 9.3.2: a client reads none, so body bytes would be taken for
     * the start of the next response on the connection).
     */
    public ByteBuffer headOnly(GatewayReply reply, HeadWriter.ConnectionOption connection) {
        return ByteBuffer.wrap(encoded[connection.ordinal()][reply.ordinal()], 0,
                headLength[connection.ordinal()][reply.ordinal()]).slice().asReadOnlyBuffer();
    }

    private static int bodyBytes(GatewayReply reply) {
        return reply.body().getBytes(StandardCharsets.UTF_8).length;
    }

    private static byte[] encode(GatewayReply reply, HeadWriter.ConnectionOption connection) {
        byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + reply.status() + " " + reply.reason() + "\r\n"
                + "Content-Type: text/plain;charset=utf-8\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + (reply.retryAfter() ? "Retry-After: " + GatewayReply.RETRY_AFTER_SECONDS + "\r\n" : "")
                + switch (connection) {
                    case NONE -> "";
                    case CLOSE -> "Connection: close\r\n";
                    case KEEP_ALIVE -> "Connection: keep-alive\r\n";
                }
                + "\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        System.arraycopy(body, 0, all, headBytes.length, body.length);
        return all;
    }
}
