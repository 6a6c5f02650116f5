package io.longshore.jetty.internal.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the admin handler reads a request body and answers in JSON: the body is read without
 * holding the request's thread ({@link JsonBodies#text}), within the body deadline, and a body
 * refused or unreadable is answered here; every answer is a status and a JSON body. Thread-safe.
 */
final class JsonAnswers {
    /** Under the admin handler's name: these are its requests' failures. */
    private static final Logger LOG = LoggerFactory.getLogger(AdminHandler.class);

    private final ObjectMapper json;
    private final Duration bodyDeadline;

    /** {@code bodyDeadline}: how long a client may take to send a whole request body (then 408). */
    JsonAnswers(ObjectMapper json, Duration bodyDeadline) {
        this.json = json;
        this.bodyDeadline = bodyDeadline;
    }

    /** What a request does with its body once it has all come. */
    interface BodyUse {
        void accept(String body) throws Exception;
    }

    /**
     * Reads the body without holding this thread ({@link JsonBodies#text}), then hands it to
     * {@code use} on whichever thread finished the read; a body refused (413, 408, or 400 from
     * {@code use}) or unreadable is answered here.
     */
    void withBody(Request request, Response response, Callback callback, int max, BodyUse use) {
        JsonBodies.text(request, max, bodyDeadline).whenComplete((body, error) -> {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            try {
                if (cause instanceof JsonBodies.Refused refused) {
                    send(response, callback, refused.status(), Map.of("error", refused.getMessage()));
                } else if (cause != null) { // the client is gone or broke its framing
                    send(response, callback, HttpStatus.BAD_REQUEST_400,
                            Map.of("error", "the body could not be read: " + cause));
                } else {
                    use.accept(body);
                }
            } catch (JsonBodies.Refused e) {
                sendQuietly(response, callback, e.status(), Map.of("error", e.getMessage()));
            } catch (Exception e) {
                LOG.warn("admin request {} failed", request.getHttpURI().getPath(), e);
                sendQuietly(response, callback, HttpStatus.INTERNAL_SERVER_ERROR_500,
                        Map.of("error", String.valueOf(e.getMessage())));
            }
        });
    }

    /** Sends an answer, possibly from another thread than the request's; a failure fails the callback. */
    void sendQuietly(Response response, Callback callback, int status, Object body) {
        try {
            send(response, callback, status, body);
        } catch (Exception e) {
            callback.failed(e);
        }
    }

    /** Sends {@code body} as JSON with {@code status}. */
    void send(Response response, Callback callback, int status, Object body) throws Exception {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(json.writeValueAsBytes(body)), callback);
    }
}
