package io.longshore.jetty.internal.codec;

import java.nio.ByteBuffer;

/**
 * Follows a chunked body (RFC 9112 7.1) as its bytes stream through, without copying them:
 * finds where the body ends, counts its data bytes, and checks every framing line against the
 * grammar before any byte of it may go on. Data bytes are released as they arrive; a framing
 * line (a chunk-size line with its extensions, the CRLF after a chunk's data, a trailer field,
 * the final empty line) is released only once it is whole and valid, so a caller that forwards
 * no further than {@link #scan} returns never passes on part of a line it would reject.
 *
 * <p>The grammar is the RFC's, read narrowly: {@code chunk-size} is 1 to 15 hex digits followed
 * at once by {@code ;} or the line end (no whitespace anywhere in the line but inside a quoted
 * string); each extension is {@code ;token} or {@code ;token=token} or
 * {@code ;token="quoted string"}; lines are at most {@value #MAX_LINE} bytes. Line ends are CRLF;
 * a scanner made {@link #lenient()} also takes a bare LF (replicas' responses). For a client
 * that cannot take chunked bytes it can also {@link #decode} them in place. Reused per message;
 * not thread-safe.
 */
public final class ChunkedScanner {
    /** {@link #scan} found malformed framing. */
    public static final int MALFORMED = -1;
    /** Longest chunk-size line (size plus extensions) or trailer line accepted. */
    static final int MAX_LINE = 4096;
    private static final int MAX_SIZE_DIGITS = 15;

    private enum State {
        SIZE, EXT_NAME_START, EXT_NAME, EXT_VALUE_START, EXT_TOKEN, EXT_QUOTED, EXT_ESCAPE, EXT_QUOTED_END, SIZE_LF,
        DATA, DATA_CR, DATA_LF, TRAILER_START, TRAILER_NAME, TRAILER_VALUE, TRAILER_LF, END_LF, DONE
    }

    private final boolean bareLineFeeds;
    private State state = State.SIZE;
    private long remaining;
    private int digits;
    private int lineBytes;
    private long dataBytes;
    /** Bytes of the current framing line already checked by an earlier call (and not released). */
    private int pending;
    private int consumed;
    private int decodedEnd;

    /** A strict scanner: every line ends with CRLF (for requests, which must never be read two ways). */
    public ChunkedScanner() {
        this(false);
    }

    private ChunkedScanner(boolean bareLineFeeds) {
        this.bareLineFeeds = bareLineFeeds;
    }

    /** A scanner that also takes a bare LF as a line end (for replicas' responses). */
    public static ChunkedScanner lenient() {
        return new ChunkedScanner(true);
    }

    /** Starts a new body. */
    public void reset() {
        state = State.SIZE;
        remaining = 0;
        digits = 0;
        lineBytes = 0;
        dataBytes = 0;
        pending = 0;
    }

    /** Whether the last chunk and trailer section have been seen. */
    public boolean isDone() {
        return state == State.DONE;
    }

    /** Data bytes seen so far (framing excluded). */
    public long dataBytes() {
        return dataBytes;
    }

    /**
     * Scans {@code buffer[from, to)} (absolute indexes) and returns the index just after the
     * bytes that may go on: data bytes and whole, valid framing lines. That is {@code to} when
     * the range ends between elements, the start of a framing line that is not complete yet (the
     * next call must start there again; its checked bytes are not checked twice), less when the
     * body ended inside the range, or {@link #MALFORMED}.
     */
    public int scan(ByteBuffer buffer, int from, int to) {
        int end = run(buffer, from, to, false);
        return end < 0 ? MALFORMED : end;
    }

    /**
     * Walks {@code buffer[from, to)}; with {@code decode}, moves data bytes down to
     * {@code decodedEnd} as it goes. Returns the index after the last byte released, or -1 for
     * malformed framing.
     */
    private int run(ByteBuffer buffer, int from, int to, boolean decode) {
        int out = from;
        int lineStart = from;
        int i = from + Math.min(pending, to - from);
        pending = 0;
        while (i < to && state != State.DONE) {
            if (state == State.DATA) {
                int step = (int) Math.min(remaining, to - i);
                if (decode && out != i) {
                    buffer.put(out, buffer, i, step);
                }
                out += step;
                i += step;
                remaining -= step;
                if (remaining == 0) {
                    state = State.DATA_CR;
                }
                lineStart = i;
                continue;
            }
            if (!step(buffer.get(i))) {
                return -1;
            }
            i++;
            if (isBetweenElements()) {
                lineStart = i;
            }
        }
        decodedEnd = out;
        if (state != State.DONE && i > lineStart) {
            pending = i - lineStart; // the line is not whole yet: hold it back
            return lineStart;
        }
        return i;
    }

    /** Whether the scanner stands at the start of a line or of chunk data (nothing held back). */
    private boolean isBetweenElements() {
        return state == State.DATA || state == State.DONE || lineBytes == 0
                && (state == State.SIZE && digits == 0 || state == State.TRAILER_START);
    }

    /** Advances over one framing byte; false when it is not allowed here. */
    private boolean step(byte b) {
        if (++lineBytes > MAX_LINE) {
            return false;
        }
        return switch (state) {
            case SIZE -> size(b);
            case EXT_NAME_START -> HttpBytes.isToken(b) && toState(State.EXT_NAME);
            case EXT_NAME -> HttpBytes.isToken(b) || b == '=' && toState(State.EXT_VALUE_START) || endOfExtension(b);
            case EXT_VALUE_START -> b == '"' ? toState(State.EXT_QUOTED) : HttpBytes.isToken(b) && toState(State.EXT_TOKEN);
            case EXT_TOKEN -> HttpBytes.isToken(b) || endOfExtension(b);
            case EXT_QUOTED -> b == '"' ? toState(State.EXT_QUOTED_END)
                    : b == '\\' ? toState(State.EXT_ESCAPE) : HttpBytes.isQuotedText(b);
            case EXT_ESCAPE -> HttpBytes.isFieldValue(b) && toState(State.EXT_QUOTED);
            case EXT_QUOTED_END -> endOfExtension(b);
            case SIZE_LF -> b == HttpBytes.LF && sizeLineEnded();
            case DATA_CR -> b == HttpBytes.CR ? toState(State.DATA_LF) : isBareLf(b) && lineEnded(State.SIZE);
            case DATA_LF -> b == HttpBytes.LF && lineEnded(State.SIZE);
            case TRAILER_START -> b == HttpBytes.CR ? toState(State.END_LF) : isBareLf(b) ? lineEnded(State.DONE)
                    : HttpBytes.isToken(b) && toState(State.TRAILER_NAME);
            case TRAILER_NAME -> HttpBytes.isToken(b) || b == HttpBytes.COLON && toState(State.TRAILER_VALUE);
            case TRAILER_VALUE -> b == HttpBytes.CR ? toState(State.TRAILER_LF)
                    : isBareLf(b) ? lineEnded(State.TRAILER_START) : HttpBytes.isFieldValue(b);
            case TRAILER_LF -> b == HttpBytes.LF && lineEnded(State.TRAILER_START);
            case END_LF -> b == HttpBytes.LF && lineEnded(State.DONE);
            default -> false;
        };
    }

    private boolean size(byte b) {
        int hex = hex(b);
        if (hex >= 0) {
            if (++digits > MAX_SIZE_DIGITS) {
                return false;
            }
            remaining = remaining * 16 + hex;
            return true;
        }
        return digits > 0 && (b == ';' ? toState(State.EXT_NAME_START) : endOfLine(b));
    }

    /** After a whole extension: another one, or the end of the chunk-size line. */
    private boolean endOfExtension(byte b) {
        return b == ';' ? toState(State.EXT_NAME_START) : endOfLine(b);
    }

    /** CR (then LF) or, when lenient, a bare LF ends the chunk-size line; anything else is malformed. */
    private boolean endOfLine(byte b) {
        return b == HttpBytes.CR ? toState(State.SIZE_LF) : isBareLf(b) && sizeLineEnded();
    }

    private boolean isBareLf(byte b) {
        return b == HttpBytes.LF && bareLineFeeds;
    }

    private boolean sizeLineEnded() {
        digits = 0;
        if (remaining == 0) {
            return lineEnded(State.TRAILER_START);
        }
        dataBytes += remaining;
        return lineEnded(State.DATA);
    }

    private boolean lineEnded(State next) {
        lineBytes = 0;
        state = next;
        return true;
    }

    private boolean toState(State next) {
        state = next;
        return true;
    }

    private static int hex(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }

    /**
     * Scans {@code buffer}'s remaining bytes like {@link #scan} and moves their data bytes to
     * the front of that range, dropping the framing. Returns the number of data bytes now at
     * the buffer's position, or {@link #MALFORMED}; {@link #consumed} tells how many input
     * bytes were used up (a framing line not yet whole is not, and stays where it is).
     */
    public int decode(ByteBuffer buffer) {
        int from = buffer.position();
        int end = run(buffer, from, buffer.limit(), true);
        if (end < 0) {
            return MALFORMED;
        }
        consumed = end - from;
        return decodedEnd - from;
    }

    /** How many input bytes the last {@link #decode} used. */
    public int consumed() {
        return consumed;
    }
}
