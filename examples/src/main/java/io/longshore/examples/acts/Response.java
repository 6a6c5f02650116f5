package io.longshore.examples.acts;

import java.util.Map;

/**
 * What the acts service answers: a status and a value that is written as JSON. Immutable.
 *
 * @param status the HTTP status
 * @param body   the JSON value (a map, list, record or number)
 */
record Response(int status, Object body) {

    static Response ok(Object body) {
        return new Response(200, body);
    }

    static Response created(Object body) {
        return new Response(201, body);
    }

    static Response error(int status, String message) {
        return new Response(status, Map.of("error", message));
    }
}
