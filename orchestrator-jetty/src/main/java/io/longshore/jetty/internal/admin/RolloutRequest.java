package io.longshore.jetty.internal.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.longshore.api.ContainerSpec;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The body of {@code POST /rollout}: a JSON object whose fields are all optional —
 * {@code "image"} (a non-blank string), {@code "command"} (an array of strings), {@code "env"}
 * (an object of strings; a {@code null} value removes the variable) — merged into the current
 * spec. Anything else is refused with a message naming what is wrong. Immutable.
 *
 * @param image   the new image, if given
 * @param command the new command (the image's arguments for Docker), if given
 * @param env     variables to set (a present value) or remove (an empty one)
 */
record RolloutRequest(Optional<String> image, Optional<List<String>> command, Map<String, Optional<String>> env) {
    /** The fields a body may have. */
    static final List<String> FIELDS = List.of("image", "command", "env");

    /** A body that does not fit; the message says why. */
    static final class BadRequest extends Exception {
        private static final long serialVersionUID = 1L;

        BadRequest(String message) {
            super(message);
        }
    }

    static RolloutRequest parse(ObjectMapper json, String body) throws BadRequest {
        JsonNode root;
        try {
            root = body == null || body.isBlank() ? null : json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new BadRequest("the body is not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new BadRequest("expected a JSON object with any of " + FIELDS + ", e.g. {\"image\": \"acts:2\"}");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new BadRequest("unknown field '" + name + "'; the fields are " + FIELDS);
            }
        }
        return new RolloutRequest(image(root.get("image")), command(root.get("command")), env(root.get("env")));
    }

    private static Optional<String> image(JsonNode image) throws BadRequest {
        if (image == null) {
            return Optional.empty();
        }
        if (!image.isTextual() || image.asText().isBlank()) {
            throw new BadRequest("'image' must be a non-blank string");
        }
        return Optional.of(image.asText());
    }

    private static Optional<List<String>> command(JsonNode command) throws BadRequest {
        if (command == null) {
            return Optional.empty();
        }
        if (!command.isArray()) {
            throw new BadRequest("'command' must be an array of strings");
        }
        List<String> parts = new ArrayList<>();
        for (JsonNode part : command) {
            if (!part.isTextual()) {
                throw new BadRequest("'command' must be an array of strings; " + part + " is not one");
            }
            parts.add(part.asText());
        }
        return Optional.of(List.copyOf(parts));
    }

    private static Map<String, Optional<String>> env(JsonNode env) throws BadRequest {
        if (env == null) {
            return Map.of();
        }
        if (!env.isObject()) {
            throw new BadRequest("'env' must be an object of strings, e.g. {\"ACTS_VERSION\": \"v2\"}");
        }
        Map<String, Optional<String>> vars = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = env.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> var = it.next();
            if (var.getKey().isBlank() || !(var.getValue().isTextual() || var.getValue().isNull())) {
                throw new BadRequest("'env' must map names to strings (or null to remove one); '" + var.getKey()
                        + "' maps to " + var.getValue());
            }
            vars.put(var.getKey(), var.getValue().isNull() ? Optional.empty() : Optional.of(var.getValue().asText()));
        }
        return vars;
    }

    /** {@code spec} with this request merged in; throws {@link BadRequest} when the result is not a valid spec. */
    ContainerSpec mergeInto(ContainerSpec spec) throws BadRequest {
        try {
            return merged(spec);
        } catch (IllegalArgumentException e) {
            throw new BadRequest("the merged spec is not valid: " + e.getMessage());
        }
    }

    /** {@code spec} with this request merged in; throws {@link IllegalArgumentException} when that is not a valid spec. */
    ContainerSpec merged(ContainerSpec spec) {
        Map<String, String> vars = new LinkedHashMap<>(spec.env());
        env.forEach((name, value) -> {
            if (value.isPresent()) {
                vars.put(name, value.get());
            } else {
                vars.remove(name);
            }
        });
        return new ContainerSpec(spec.service(), image.orElse(spec.image()), command.orElse(spec.command()), vars,
                spec.labels(), spec.memoryBytes(), spec.cpus(), spec.stopGrace(), spec.network(),
                spec.containerPort(), spec.pullPolicy(), spec.weight());
    }
}
