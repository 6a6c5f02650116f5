package io.longshore.jetty.internal.codec;

import java.nio.ByteBuffer;

/**
 * Copies a message head out of a buffer into an array while looking for the empty line that
 * ends it, so parsing then works on the array. Empty lines before the start line (which a
 * server should ignore, RFC 9112 2.2) are kept in the copy and skipped by the parser. It
 * remembers how far it got, so a head that arrives a few bytes at a time is copied and scanned
 * once in all, not once per arrival: {@link #restart()} before a new head, or before a head in
 * another buffer. Not thread-safe.
 */
final class HeadReader {
    static final int NEED_MORE = 0;
    /** The limit was reached inside the start line (a request target too long). */
    static final int START_LINE_TOO_LARGE = -2;
    /** The limit was reached in the header fields. */
    static final int FIELDS_TOO_LARGE = -1;
    /** The array is full below the limit: call again with a larger copy of it. */
    static final int NEED_ROOM = -3;
    private static final int CHUNK = 512;

    /** Bytes of the head copied into the array so far. */
    private int copied;
    /** Bytes of the head scanned for line ends so far. */
    private int scanned;
    private int lineStart;
    private boolean startLineDone;

    /** Forgets the head read so far. */
    void restart() {
        copied = 0;
        scanned = 0;
        lineStart = 0;
        startLineDone = false;
    }

    /** Bytes of a head not yet complete that were already taken in. */
    int progress() {
        return scanned;
    }

    /**
     * Copies the head at {@code buffer}'s position into {@code into}, going on from where the
     * last call stopped, and returns the head's length, {@link #NEED_MORE}, a too-large code
     * when the head reaches {@code max} bytes, or {@link #NEED_ROOM} when {@code into} is full
     * before that (call again with a larger array holding the same first bytes). The buffer's
     * position is left alone.
     */
    int read(ByteBuffer buffer, byte[] into, int max) {
        int available = Math.min(buffer.remaining(), max);
        int base = buffer.position();
        for (int i = scanned; i < available; i++) {
            if (i == copied) {
                int chunk = Math.min(CHUNK, available - copied);
                if (copied + chunk > into.length) {
                    scanned = i;
                    return NEED_ROOM;
                }
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
                restart();
                return i + 1;
            }
            lineStart = i + 1;
        }
        scanned = Math.max(scanned, available);
        if (available < max) {
            return NEED_MORE;
        }
        boolean inStartLine = !startLineDone;
        restart();
        return inStartLine ? START_LINE_TOO_LARGE : FIELDS_TOO_LARGE;
    }
}
