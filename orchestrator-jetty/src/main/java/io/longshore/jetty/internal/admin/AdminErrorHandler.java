package io.longshore.jetty.internal.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The standalone admin server's answer to what Jetty refuses itself, before the admin API sees
 * the request (a broken percent-encoding in the path, a malformed head, a head too large): the
 * same {@code {"error": "…"}} JSON as the API's own errors, not Jetty's HTML page, so a script
 * reads every refusal the same way. Thread-safe.
 */
public final class AdminErrorHandler extends ErrorHandler {
    private final ObjectMapper json = new ObjectMapper();

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(body(code, message)), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(new HttpField(HttpHeader.CONTENT_TYPE, "application/json"));
        return ByteBuffer.wrap(body(status, reason));
    }

    private byte[] body(int status, String message) {
        String text = message == null || message.isBlank() ? HttpStatus.getMessage(status) : message;
        try {
            return json.writeValueAsBytes(Map.of("error", text));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a string map did not serialize", e);
        }
    }
}
