package io.longshore.examples.acts;

import java.sql.SQLException;
import java.util.Map;

/**
 * What the acts service answers: a status, a value that is written as JSON, and headers of its
 * own beyond those every response carries. The value is written whole, with its
 * {@code Content-Length}, unless it is a {@link JsonStream}: that one decides its status as it is
 * sent and is written as it is produced, in chunks, without a {@code Content-Length}
 * ({@link #streamed}). Immutable.
 *
 * @param status  the HTTP status (of a {@link JsonStream}: unused, the stream sends its own)
 * @param body    the JSON value (a map, list, record or number), or a {@link JsonStream}
 * @param headers response headers by name (e.g. {@code Allow} of a 405)
 */
record Response(int status, Object body, Map<String, String> headers) {

    Response {
        headers = Map.copyOf(headers);
    }

    Response(int status, Object body) {
        this(status, body, Map.of());
    }

    static Response ok(Object body) {
        return new Response(200, body);
    }

    /** An answer that {@code body} decides and writes while it is sent, so that it is never held whole. */
    static Response streamed(JsonStream body) {
        return new Response(200, body);
    }

    static Response created(Object body) {
        return new Response(201, body);
    }

    static Response error(int status, String message) {
        return new Response(status, Map.of("error", message));
    }

    /** The answer to a request the database failed. */
    static Response databaseError(SQLException e) {
        return error(500, "database error: " + e.getMessage());
    }

    /** The answer to a refused request; a 405 names the allowed methods in {@code Allow} (RFC 9110 §15.5.6). */
    static Response error(ApiException e) {
        Map<String, String> headers = e.allowed().isEmpty() ? Map.of() : Map.of("Allow", String.join(", ", e.allowed()));
        return new Response(e.status(), Map.of("error", e.getMessage()), headers);
    }
}
