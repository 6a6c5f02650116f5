package io.longshore.core;

import io.longshore.api.ContainerSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a {@link ContainerSpec} into one label value and reads it back, so that an orchestrator
 * restarted in the middle of a rollout can start more replicas of a spec it finds running (see
 * {@link ContainerLabels#SPEC}). The value is URL-safe base64 of length-prefixed fields in a fixed
 * order, starting with a format version; equal specs encode equally. Stateless.
 */
final class SpecCodec {
    private static final String VERSION = "1";

    private SpecCodec() {
    }

    static String encode(ContainerSpec spec) {
        List<String> fields = new ArrayList<>();
        fields.add(VERSION);
        fields.add(spec.service());
        fields.add(spec.image());
        fields.add(Integer.toString(spec.command().size()));
        fields.addAll(spec.command());
        addMap(fields, spec.env());
        addMap(fields, spec.labels());
        fields.add(Long.toString(spec.memoryBytes()));
        fields.add(Double.toString(spec.cpus()));
        fields.add(spec.stopGrace().toString());
        fields.add(spec.network().name());
        fields.add(Integer.toString(spec.containerPort()));
        fields.add(spec.pullPolicy().name());
        StringBuilder text = new StringBuilder();
        for (String field : fields) {
            text.append(field.length()).append(':').append(field);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void addMap(List<String> fields, Map<String, String> map) {
        fields.add(Integer.toString(map.size()));
        new TreeMap<>(map).forEach((key, value) -> {
            fields.add(key);
            fields.add(value);
        });
    }

    /** Reads a value {@link #encode} wrote; throws {@link IllegalArgumentException} when it is malformed. */
    static ContainerSpec decode(String value) {
        try {
            Reader in = new Reader(new String(Base64.getUrlDecoder().decode(value), StandardCharsets.UTF_8));
            if (!VERSION.equals(in.next())) {
                throw new IllegalArgumentException("unknown format");
            }
            ContainerSpec.Builder spec = ContainerSpec.builder(in.next());
            String image = in.next();
            if (!image.isEmpty()) {
                spec.image(image);
            }
            List<String> command = new ArrayList<>();
            for (int i = in.count(); i > 0; i--) {
                command.add(in.next());
            }
            spec.command(command);
            for (int i = in.count(); i > 0; i--) {
                spec.env(in.next(), in.next());
            }
            for (int i = in.count(); i > 0; i--) {
                spec.label(in.next(), in.next());
            }
            spec.memoryBytes(Long.parseLong(in.next())).cpus(Double.parseDouble(in.next()))
                    .stopGrace(Duration.parse(in.next()))
                    .network(ContainerSpec.NetworkMode.valueOf(in.next()))
                    .containerPort(Integer.parseInt(in.next()))
                    .pullPolicy(ContainerSpec.PullPolicy.valueOf(in.next()));
            in.requireEnd();
            return spec.build();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not an encoded spec: " + e.getMessage(), e);
        }
    }

    /** Reads length-prefixed fields. */
    private static final class Reader {
        private final String text;
        private int at;

        Reader(String text) {
            this.text = text;
        }

        String next() {
            int colon = text.indexOf(':', at);
            if (colon < 0) {
                throw new IllegalArgumentException("truncated at " + at);
            }
            int length = Integer.parseInt(text.substring(at, colon));
            int end = colon + 1 + length;
            if (length < 0 || end > text.length()) {
                throw new IllegalArgumentException("field at " + at + " runs past the end");
            }
            at = end;
            return text.substring(colon + 1, end);
        }

        int count() {
            int count = Integer.parseInt(next());
            if (count < 0) {
                throw new IllegalArgumentException("negative count");
            }
            return count;
        }

        void requireEnd() {
            if (at != text.length()) {
                throw new IllegalArgumentException("trailing data at " + at);
            }
        }
    }
}
