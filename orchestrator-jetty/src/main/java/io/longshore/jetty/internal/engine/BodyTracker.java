package io.longshore.jetty.internal.engine;

import io.longshore.jetty.internal.codec.ChunkedScanner;
import io.longshore.jetty.internal.codec.Framing;
import java.nio.ByteBuffer;

/**
 * Where a message body ends as its bytes stream through, for both directions of the proxy:
 * counts down a {@code Content-Length}, follows chunked framing (and can decode it in place for
 * a client that cannot take it), or runs to the end of the connection; it also counts a
 * chunked body's data against a limit. Reused per message; confined to the worker's thread.
 */
final class BodyTracker {
    /** The chunked framing was malformed. */
    static final int MALFORMED = -1;
    /** The chunked data went past the limit. */
    static final int TOO_LARGE = -2;

    private final ChunkedScanner chunks;
    private Framing framing = Framing.NONE;
    private long remaining;
    private long maxBytes;
    private boolean decode;
    private boolean done;
    private int dataEnd;

    private BodyTracker(ChunkedScanner chunks) {
        this.chunks = chunks;
    }

    /** For request bodies: chunked framing by the strict grammar (CRLF line ends only). */
    static BodyTracker forRequests() {
        return new BodyTracker(new ChunkedScanner());
    }

    /** For response bodies: chunked framing that may also end its lines with a bare LF. */
    static BodyTracker forResponses() {
        return new BodyTracker(ChunkedScanner.lenient());
    }

    /**
     * A new body.
     *
     * @param length   its {@code Content-Length} for {@link Framing#FIXED}
     * @param maxBytes the most data bytes of a chunked body
     * @param decode   whether chunked framing is dropped on the way
     */
    void start(Framing bodyFraming, long length, long maxBytes, boolean decode) {
        this.framing = bodyFraming;
        this.remaining = bodyFraming == Framing.FIXED ? Math.max(0, length) : 0;
        this.maxBytes = maxBytes;
        this.decode = decode && bodyFraming == Framing.CHUNKED;
        this.done = bodyFraming == Framing.NONE || bodyFraming == Framing.FIXED && remaining == 0;
        chunks.reset();
    }

    /** Whether the body's last byte has gone through (a body delimited by closing never is). */
    boolean isDone() {
        return done;
    }

    /** Whether a fixed-length body needs more than {@code available} further bytes. */
    boolean needsMoreThan(int available) {
        return framing == Framing.FIXED && remaining > available;
    }

    /**
     * Walks the body's bytes in {@code buffer[from, to)} (absolute indexes; with decoding they
     * must be the buffer's position and limit). Returns the index after the last of them that
     * belongs to the body and may go on, or {@link #MALFORMED} or {@link #TOO_LARGE}: a chunked
     * framing line that is not whole yet is held back (the next call starts at its first byte),
     * so nothing of a line is passed on before it has been checked. The data bytes to pass on
     * end at {@link #dataEnd()}: the same index, unless the framing was decoded.
     */
    int advance(ByteBuffer buffer, int from, int to) {
        int end = switch (framing) {
            case NONE -> from;
            case FIXED -> fixed(from, to);
            case CHUNKED -> chunked(buffer, from, to);
            case UNTIL_CLOSE -> to;
        };
        if (end >= 0 && !decode) {
            dataEnd = end;
        }
        return end;
    }

    private int fixed(int from, int to) {
        long take = Math.min(remaining, to - from);
        remaining -= take;
        done = remaining == 0;
        return from + (int) take;
    }

    private int chunked(ByteBuffer buffer, int from, int to) {
        int end;
        if (decode) {
            int data = chunks.decode(buffer);
            if (data == ChunkedScanner.MALFORMED) {
                return MALFORMED;
            }
            dataEnd = from + data;
            end = from + chunks.consumed();
        } else {
            end = chunks.scan(buffer, from, to);
            if (end == ChunkedScanner.MALFORMED) {
                return MALFORMED;
            }
        }
        if (chunks.dataBytes() > maxBytes) {
            return TOO_LARGE;
        }
        done = chunks.isDone();
        return end;
    }

    /** Where the data bytes of the last {@link #advance} end. */
    int dataEnd() {
        return dataEnd;
    }
}
