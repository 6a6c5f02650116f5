package io.longshore.jetty.internal.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Writes JSON answers the way the rest of the admin API does ({@code {"error": "…"}} for errors). Thread-safe. */
final class JsonReplies {
    private final ObjectMapper json;

    JsonReplies(ObjectMapper json) {
        this.json = json;
    }

    void send(Response response, Callback callback, int status, Object body) {
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            callback.failed(e);
            return;
        }
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    void error(Response response, Callback callback, int status, String message) {
        send(response, callback, status, Map.of("error", message));
    }
}
