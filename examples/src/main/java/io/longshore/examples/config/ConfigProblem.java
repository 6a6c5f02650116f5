package io.longshore.examples.config;

import java.util.Objects;

/**
 * One thing wrong with a config file. Immutable.
 *
 * @param file    the file's name as given
 * @param line    1-based line
 * @param column  1-based column
 * @param key     the dotted path of the key, e.g. {@code services.acts.probe.interval}; empty for the whole file
 * @param message what is wrong and what is expected
 */
public record ConfigProblem(String file, int line, int column, String key, String message) {
    public ConfigProblem {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(message, "message");
    }

    /** {@code longshore.yaml:12:5: services.acts.probe.interval: expects a duration …}. */
    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + (key.isEmpty() ? "" : key + ": ") + message;
    }
}
