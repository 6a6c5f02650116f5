package io.longshore.jetty.internal.codec;

import java.nio.charset.StandardCharsets;

/**
 * A range of a head's bytes read as characters (ISO-8859-1, as HTTP fields are), without
 * copying: the view a strategy reads a request's path, header or cookie through. Reused: it
 * shows what it was last {@link #set} to, so it is valid only until then. {@link #subSequence}
 * and {@link #toString()} copy. Not thread-safe.
 */
final class HeadText implements CharSequence {
    private byte[] bytes = new byte[0];
    private int from;
    private int to;

    /** Shows {@code bytes[from, to)} from now on; returns this view. */
    HeadText set(byte[] bytes, int from, int to) {
        this.bytes = bytes;
        this.from = from;
        this.to = to;
        return this;
    }

    @Override
    public int length() {
        return to - from;
    }

    @Override
    public char charAt(int index) {
        if (index < 0 || index >= to - from) {
            throw new IndexOutOfBoundsException("index " + index + " of " + (to - from));
        }
        return (char) (bytes[from + index] & 0xFF);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        if (start < 0 || end > to - from || start > end) {
            throw new IndexOutOfBoundsException("range " + start + ".." + end + " of " + (to - from));
        }
        return new HeadText().set(bytes, from + start, from + end);
    }

    @Override
    public String toString() {
        return new String(bytes, from, to - from, StandardCharsets.ISO_8859_1);
    }
}
