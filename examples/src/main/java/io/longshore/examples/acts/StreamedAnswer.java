package io.longshore.examples.acts;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.sql.SQLException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The answer of a {@link JsonStream} on one exchange: the head when the stream sends it, then the
 * body in chunks as the stream writes it. A {@code HEAD} gets the head alone, without
 * {@code Content-Length} (the GET's length is known only once it is written, RFC 9110 §9.3.2). A
 * stream that refuses before its head is answered by its refusal, sent whole by the server.
 * When the stream fails after its head went out, the exception leaves the handler without
 * closing the exchange, so the server drops the connection before the last chunk: the client
 * sees the answer cut short, never a shorter list that looks whole. Not thread-safe: one per
 * exchange, used by the thread that handles it.
 */
final class StreamedAnswer implements JsonStream.Head {
    private static final Logger LOG = LoggerFactory.getLogger(StreamedAnswer.class);

    private final HttpExchange exchange;
    private final ObjectMapper json;
    private final boolean headOnly;
    private boolean headSent;
    private JsonGenerator body;

    private StreamedAnswer(HttpExchange exchange, ObjectMapper json, boolean headOnly) {
        this.exchange = exchange;
        this.json = json;
        this.headOnly = headOnly;
    }

    /**
     * Answers {@code exchange} with what {@code stream} sends; the exchange's headers are set.
     *
     * @param headOnly whether the request is a {@code HEAD}
     * @return empty when the answer went out whole, else the refusal to send instead (nothing
     *         has been sent yet)
     * @throws IOException when the answer broke off after its head, or could not be written (the
     *                     client went away); the exchange is left open
     */
    static Optional<Response> answer(HttpExchange exchange, ObjectMapper json, JsonStream stream, boolean headOnly)
            throws IOException {
        StreamedAnswer answer = new StreamedAnswer(exchange, json, headOnly);
        try {
            stream.writeTo(answer);
        } catch (ApiException e) {
            return answer.refusal(Response.error(e), e);
        } catch (SQLException e) {
            return answer.refusal(Response.databaseError(e), e);
        } catch (RuntimeException e) {
            return answer.refusal(Response.error(500, "internal error: " + e), e);
        }
        if (!answer.headSent) {
            return Optional.of(Response.error(500, "internal error: the answer sent no head"));
        }
        if (answer.body != null) {
            answer.body.close(); // closes the response body too: the last chunk
        }
        exchange.close();
        return Optional.empty();
    }

    @Override
    public Optional<JsonGenerator> send(int status) throws IOException {
        if (headSent) {
            throw new IllegalStateException("the head was sent already");
        }
        headSent = true;
        if (headOnly) {
            exchange.sendResponseHeaders(status, -1);
            return Optional.empty();
        }
        exchange.sendResponseHeaders(status, 0);
        body = json.createGenerator(exchange.getResponseBody());
        return Optional.of(body);
    }

    private Optional<Response> refusal(Response refusal, Exception cause) throws IOException {
        if (!headSent) {
            return Optional.of(refusal);
        }
        LOG.warn("the answer to {} {} broke off after its head: {}", exchange.getRequestMethod(),
                exchange.getRequestURI(), cause.toString());
        throw new IOException("the answer broke off after its head", cause);
    }
}
