package io.longshore.examples.acts;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.util.Base64;

/**
 * Reads and validates the JSON bodies of the acts service. Every problem becomes an
 * {@link ApiException} with status 400 and a message naming the field: a body is exactly one
 * JSON value (nothing after it), a key appears once, and no text holds NUL (which PostgreSQL
 * cannot store). Thread-safe.
 */
final class RequestBodies {
    static final int MAX_NAME_LENGTH = 200;
    static final int MAX_CAPTION_LENGTH = 2000;
    static final int MAX_TIMESTAMP_LENGTH = 100;
    /** The longest delay {@code _delay} takes: a minute. */
    static final long MAX_DELAY_MILLIS = 60_000;

    private final ObjectReader json;

    RequestBodies(ObjectMapper json) {
        this.json = json.reader()
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
    }

    /** A category name from {@code ["name"]} (the SelfieLessActs form) or {@code {"name": "..."}}. */
    String categoryName(byte[] body) {
        JsonNode root = parse(body);
        JsonNode name;
        if (root.isArray()) {
            if (root.size() != 1) {
                throw badRequest("expected an array with exactly one category name, e.g. [\"cats\"]");
            }
            name = root.get(0);
        } else if (root.isObject()) {
            name = root.get("name");
        } else {
            throw badRequest("expected [\"name\"] or {\"name\": \"...\"}");
        }
        return validName(name, "name");
    }

    /** An act; actId, username, caption and categoryName are required. */
    Act act(byte[] body) {
        JsonNode root = parse(body);
        if (!root.isObject()) {
            throw badRequest("expected a JSON object with actId, username, caption and categoryName");
        }
        return new Act(actId(root.get("actId")),
                requiredText(root, "username", MAX_NAME_LENGTH),
                optionalText(root, "timestamp", MAX_TIMESTAMP_LENGTH),
                requiredText(root, "caption", MAX_CAPTION_LENGTH),
                validName(root.get("categoryName"), "categoryName"),
                imageB64(root.get("imgB64")));
    }

    /** The {@code ms} of {@code {"ms": n}}, a whole number in 0..{@value #MAX_DELAY_MILLIS}. */
    long delayMillis(byte[] body) {
        JsonNode root = parse(body);
        JsonNode ms = root.isObject() ? root.get("ms") : null;
        if (ms == null || !ms.isIntegralNumber() || !ms.canConvertToLong() || ms.asLong() < 0
                || ms.asLong() > MAX_DELAY_MILLIS) {
            throw badRequest("expected {\"ms\": n} with n a whole number of milliseconds in 0.." + MAX_DELAY_MILLIS
                    + ", was " + root);
        }
        return ms.asLong();
    }

    private JsonNode parse(byte[] body) {
        if (body.length == 0) {
            throw badRequest("request body is empty; expected JSON");
        }
        try {
            return json.readTree(body);
        } catch (JacksonException e) {
            throw badRequest("malformed JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw badRequest("unreadable body: " + e.getMessage());
        }
    }

    static String validName(JsonNode node, String field) {
        String name = text(node, field, MAX_NAME_LENGTH);
        if (name.contains("/")) {
            throw badRequest(field + " must not contain '/'");
        }
        return name;
    }

    private static long actId(JsonNode node) {
        if (node == null || node.isNull()) {
            throw badRequest("missing field actId");
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.asLong() < 0) {
            throw badRequest("actId must be a non-negative integer, was " + node);
        }
        return node.asLong();
    }

    private static String requiredText(JsonNode root, String field, int maxLength) {
        return text(root.get(field), field, maxLength);
    }

    private static String optionalText(JsonNode root, String field, int maxLength) {
        JsonNode node = root.get(field);
        return node == null || node.isNull() ? "" : text(node, field, maxLength);
    }

    private static String text(JsonNode node, String field, int maxLength) {
        if (node == null || node.isNull()) {
            throw badRequest("missing field " + field);
        }
        if (!node.isTextual() || node.asText().isBlank()) {
            throw badRequest(field + " must be a non-blank string, was " + node);
        }
        if (node.asText().length() > maxLength) {
            throw badRequest(field + " must be at most " + maxLength + " characters");
        }
        if (node.asText().indexOf('\0') >= 0) {
            throw badRequest(field + " must not contain the NUL character (\\u0000)");
        }
        return node.asText();
    }

    private static String imageB64(JsonNode node) {
        if (node == null || node.isNull()) {
            return "";
        }
        if (!node.isTextual()) {
            throw badRequest("imgB64 must be a base64 string");
        }
        if (node.asText().length() > ActsServer.MAX_IMAGE_B64_LENGTH) {
            throw badRequest("imgB64 must be at most " + ActsServer.MAX_IMAGE_B64_LENGTH + " characters");
        }
        try {
            Base64.getDecoder().decode(node.asText());
        } catch (IllegalArgumentException e) {
            throw badRequest("imgB64 is not valid base64: " + e.getMessage());
        }
        return node.asText();
    }

    private static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }
}
