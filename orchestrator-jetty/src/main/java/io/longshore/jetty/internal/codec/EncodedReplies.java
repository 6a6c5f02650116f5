package io.longshore.jetty.internal.codec;

import io.longshore.jetty.internal.policy.GatewayReply;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The gateway's own {@link GatewayReply replies} as HTTP/1.1 responses, encoded once: plain text
 * with its length, {@code Retry-After} where the reply asks for it, and either kept alive or
 * closing. Immutable; thread-safe.
 */
public final class EncodedReplies {
    private final byte[][] keepAlive;
    private final byte[][] closing;
    /** The length of each reply's head (the same kept alive or closing but for the Connection line). */
    private final int[] keepAliveHead;
    private final int[] closingHead;

    public EncodedReplies() {
        GatewayReply[] replies = GatewayReply.values();
        keepAlive = new byte[replies.length][];
        closing = new byte[replies.length][];
        keepAliveHead = new int[replies.length];
        closingHead = new int[replies.length];
        for (GatewayReply reply : replies) {
            int i = reply.ordinal();
            keepAlive[i] = encode(reply, false);
            closing[i] = encode(reply, true);
            keepAliveHead[i] = keepAlive[i].length - bodyBytes(reply);
            closingHead[i] = closing[i].length - bodyBytes(reply);
        }
    }

    /** {@code reply} as bytes on the wire, in a fresh read-only buffer. */
    public ByteBuffer bytes(GatewayReply reply, boolean close) {
        return ByteBuffer.wrap((close ? closing : keepAlive)[reply.ordinal()]).asReadOnlyBuffer();
    }

    /**
     * {@code reply} as the answer to a {@code HEAD} request: the same head, {@code Content-Length}
     * included, and no body (RFC 9110 9.3.2: a client reads none, so body bytes would be taken for
     * the start of the next response on the connection).
     */
    public ByteBuffer headOnly(GatewayReply reply, boolean close) {
        int i = reply.ordinal();
        return ByteBuffer.wrap((close ? closing : keepAlive)[i], 0, close ? closingHead[i] : keepAliveHead[i])
                .slice().asReadOnlyBuffer();
    }

    private static int bodyBytes(GatewayReply reply) {
        return reply.body().getBytes(StandardCharsets.UTF_8).length;
    }

    private static byte[] encode(GatewayReply reply, boolean close) {
        byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + reply.status() + " " + reply.reason() + "\r\n"
                + "Content-Type: text/plain;charset=utf-8\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + (reply.retryAfter() ? "Retry-After: " + GatewayReply.RETRY_AFTER_SECONDS + "\r\n" : "")
                + (close ? "Connection: close\r\n" : "")
                + "\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        System.arraycopy(body, 0, all, headBytes.length, body.length);
        return all;
    }
}
