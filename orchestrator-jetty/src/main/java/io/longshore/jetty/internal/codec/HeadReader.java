package io.longshore.jetty.internal.codec;

import java.nio.ByteBuffer;

/**
 * Copies a message head out of a buffer into an array while looking for the empty line that
 * ends it, so parsing then works on the array. Empty lines before the start line (which a
 * server should ignore, RFC 9112 2.2) are kept in the copy and skipped by the parser. Stateless.
 */
final class HeadReader {
    static final int NEED_MORE = 0;
    /** The limit was reached inside the start line (a request target too long). */
    static final int START_LINE_TOO_LARGE = -2;
    /** The limit was reached in the header fields. */
    static final int FIELDS_TOO_LARGE = -1;
    private static final int CHUNK = 512;

    private HeadReader() {
    }

    /**
     * Copies the head at {@code buffer}'s position into {@code into} (at most its length) and
     * returns the head's length, {@link #NEED_MORE}, or a too-large code. The buffer's
     * position is left alone.
     */
    static int read(ByteBuffer buffer, byte[] into) {
        int max = into.length;
        int available = Math.min(buffer.remaining(), max);
        int base = buffer.position();
        int copied = 0;
        int lineStart = 0;
        boolean startLineDone = false;
        for (int i = 0; i < available; i++) {
            if (i == copied) {
                int chunk = Math.min(CHUNK, available - copied);
                buffer.get(base + copied, into, copied, chunk);
                copied += chunk;
            }
            if (into[i] != HttpBytes.LF) {
                continue;
            }
            int lineLength = i - lineStart;
            if (lineLength > 0 && into[i - 1] == HttpBytes.CR) {
                lineLength--;
            }
            if (lineLength > 0) {
                startLineDone = true;
            } else if (startLineDone) {
                return i + 1;
            }
            lineStart = i + 1;
        }
        if (available < max) {
            return NEED_MORE;
        }
        return startLineDone ? FIELDS_TOO_LARGE : START_LINE_TOO_LARGE;
    }
}
