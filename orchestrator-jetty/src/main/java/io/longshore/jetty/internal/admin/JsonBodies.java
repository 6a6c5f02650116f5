package io.longshore.jetty.internal.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * The JSON object an admin request carries, read whole or refused with the status and message to
 * answer: 413 for a body over its bound, 400 for one that is not a single JSON object (trailing
 * content included, given a mapper with {@code FAIL_ON_TRAILING_TOKENS}) or that has a field the
 * path does not take. Stateless.
 */
final class JsonBodies {
    private JsonBodies() {
    }

    /** Why a body was refused: the status and the message to answer with. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        private final int status;

        Refused(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        int status() {
            return status;
        }
    }

    /**
     * The request's body as text, refused 413 when it is longer than {@code max} bytes: a
     * {@code Content-Length} over it before anything is read, a chunked body once {@code max + 1}
     * bytes have come (the rest is not read).
     */
    static String text(Request request, int max) throws Exception {
        if (request.getLength() > max) {
            throw tooLarge(max);
        }
        byte[] body;
        try (InputStream in = Content.Source.asInputStream(request)) {
            body = in.readNBytes(max + 1);
        }
        if (body.length > max) {
            throw tooLarge(max);
        }
        return new String(body, StandardCharsets.UTF_8);
    }

    /**
     * {@code text} as a JSON object whose fields are all among {@code fields}, refused 400 with a
     * message that names what is wrong and ends with {@code expected}.
     */
    static JsonNode object(ObjectMapper json, String text, List<String> fields, String expected) throws Refused {
        JsonNode root;
        try {
            root = text.isBlank() ? null : json.readTree(text);
        } catch (JsonProcessingException e) {
            throw badRequest("the body is not one JSON value (" + e.getOriginalMessage() + ")", expected);
        }
        if (root == null || !root.isObject()) {
            throw badRequest("the body is not a JSON object", expected);
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!fields.contains(name)) {
                throw badRequest("unknown field '" + name + "'", expected);
            }
        }
        return root;
    }

    private static Refused badRequest(String what, String expected) {
        return new Refused(HttpStatus.BAD_REQUEST_400, what + "; expected " + expected);
    }

    private static Refused tooLarge(int max) {
        return new Refused(HttpStatus.PAYLOAD_TOO_LARGE_413, "the body exceeds " + max + " bytes");
    }
}
