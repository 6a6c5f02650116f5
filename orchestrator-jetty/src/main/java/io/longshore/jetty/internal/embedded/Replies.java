package io.longshore.jetty.internal.embedded;

import io.longshore.jetty.internal.policy.GatewayReply;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Writes the gateway's own {@link GatewayReply replies} through a host server's response. Stateless. */
final class Replies {
    private Replies() {
    }

    /**
     * Answers with {@code reply}; {@code close} asks the host server to close the connection
     * after it (the request's body is left unread, or the request is refused outright).
     */
    static void send(Response response, Callback callback, GatewayReply reply, boolean close) {
        byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
        response.setStatus(reply.status());
        HttpFields.Mutable headers = response.getHeaders();
        headers.put(HttpHeader.CONTENT_TYPE, "text/plain;charset=utf-8");
        headers.put(HttpHeader.CONTENT_LENGTH, body.length);
        if (reply.retryAfter()) {
            headers.put(HttpHeader.RETRY_AFTER, Integer.toString(GatewayReply.RETRY_AFTER_SECONDS));
        }
        if (close) {
            headers.put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
        }
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
