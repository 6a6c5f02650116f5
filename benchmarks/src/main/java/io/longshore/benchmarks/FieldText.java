package io.longshore.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Characters read from bytes (ISO-8859-1, as HTTP fields are): what {@link BenchRequest} hands
 * a strategy for its path, a header or a cookie. Like the views of the gateway's engine it is
 * not a {@link String}, so a strategy reads it through {@link CharSequence} as it reads the
 * engine's; unlike them it is made once and never moves. {@link #subSequence} and
 * {@link #toString()} copy. Immutable.
 */
final class FieldText implements CharSequence {
    private final byte[] bytes;

    FieldText(String text) {
        this.bytes = Objects.requireNonNull(text, "text").getBytes(StandardCharsets.ISO_8859_1);
    }

    @Override
    public int length() {
        return bytes.length;
    }

    @Override
    public char charAt(int index) {
        return (char) (bytes[index] & 0xFF);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return new FieldText(toString().substring(start, end));
    }

    @Override
    public String toString() {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
