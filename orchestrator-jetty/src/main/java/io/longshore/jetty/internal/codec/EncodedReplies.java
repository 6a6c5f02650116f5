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

    public EncodedReplies() {
        GatewayReply[] replies = GatewayReply.values();
        keepAlive = new byte[replies.length][];
        closing = new byte[replies.length][];
        for (GatewayReply reply : replies) {
            keepAlive[reply.ordinal()] = encode(reply, false);
            closing[reply.ordinal()] = encode(reply, true);
        }
    }

    /** {@code reply} as bytes on the wire, in a fresh read-only buffer. */
    public ByteBuffer bytes(GatewayReply reply, boolean close) {
        return ByteBuffer.wrap((close ? closing : keepAlive)[reply.ordinal()]).asReadOnlyBuffer();
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
