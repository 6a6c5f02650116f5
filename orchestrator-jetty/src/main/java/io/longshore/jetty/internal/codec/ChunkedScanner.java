package io.longshore.jetty.internal.codec;

import java.nio.ByteBuffer;

/**
 * Follows a chunked body (RFC 9112 7.1) as its bytes stream through, without copying them:
 * finds where the body ends, counts its data bytes, and rejects malformed chunk framing.
 * Chunk extensions and trailer fields are passed over. For a client that cannot take chunked
 * bytes it can also {@link #decode} them in place. Reused per message; not thread-safe.
 */
public final class ChunkedScanner {
    /** {@link #scan} found malformed framing. */
    public static final int MALFORMED = -1;
    /** Longest chunk-size line (size plus extensions) or trailer line accepted. */
    static final int MAX_LINE = 4096;

    private enum State {
        SIZE, EXTENSION, SIZE_LF, DATA, DATA_CR, DATA_LF, TRAILER_START, TRAILER_NAME, TRAILER_VALUE, TRAILER_LF,
        END_LF, DONE
    }

    private State state = State.SIZE;
    private long remaining;
    private int digits;
    private int lineBytes;
    private long dataBytes;
    private int consumed;
    private int decodedEnd;

    /** Starts a new body. */
    public void reset() {
        state = State.SIZE;
        remaining = 0;
        digits = 0;
        lineBytes = 0;
        dataBytes = 0;
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
     * bytes that belong to the body: {@code to} if the body goes on, less if it ended inside
     * the range, or {@link #MALFORMED}.
     */
    public int scan(ByteBuffer buffer, int from, int to) {
        int end = run(buffer, from, to, false);
        return end < 0 ? MALFORMED : end;
    }

    /**
     * Walks {@code buffer[from, to)}; with {@code decode}, moves data bytes down to
     * {@code decodedEnd} as it goes. Returns the index after the body's last byte in the
     * range, or -1 for malformed framing.
     */
    private int run(ByteBuffer buffer, int from, int to, boolean decode) {
        int out = from;
        int i = from;
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
                continue;
            }
            if (!step(buffer.get(i))) {
                return -1;
            }
            i++;
        }
        decodedEnd = out;
        return i;
    }

    /** Advances over one framing byte; false when it is not allowed here. */
    private boolean step(byte b) {
        switch (state) {
            case SIZE -> {
                int hex = hex(b);
                if (hex >= 0) {
                    if (++digits > 15) {
                        return false;
                    }
                    remaining = remaining * 16 + hex;
                    return true;
                }
                if (digits == 0) {
                    return false;
                }
                return endOfSize(b);
            }
            case EXTENSION -> {
                if (++lineBytes > MAX_LINE) {
                    return false;
                }
                return b == HttpBytes.CR ? toState(State.SIZE_LF) : b == HttpBytes.LF ? sizeLineEnded()
                        : b == HttpBytes.HTAB || (b & 0xff) >= 0x20 && b != 0x7f;
            }
            case SIZE_LF -> {
                return b == HttpBytes.LF && sizeLineEnded();
            }
            case DATA_CR -> {
                return b == HttpBytes.CR ? toState(State.DATA_LF) : b == HttpBytes.LF && toState(State.SIZE);
            }
            case DATA_LF -> {
                return b == HttpBytes.LF && toState(State.SIZE);
            }
            case TRAILER_START -> {
                lineBytes = 0;
                return b == HttpBytes.CR ? toState(State.END_LF) : b == HttpBytes.LF ? toState(State.DONE)
                        : HttpBytes.isToken(b) && toState(State.TRAILER_NAME);
            }
            case TRAILER_NAME -> {
                return ++lineBytes <= MAX_LINE
                        && (HttpBytes.isToken(b) || b == HttpBytes.COLON && toState(State.TRAILER_VALUE));
            }
            case TRAILER_VALUE -> {
                if (++lineBytes > MAX_LINE) {
                    return false;
                }
                return b == HttpBytes.CR ? toState(State.TRAILER_LF) : b == HttpBytes.LF ? toState(State.TRAILER_START)
                        : HttpBytes.isFieldValue(b);
            }
            case TRAILER_LF -> {
                return b == HttpBytes.LF && toState(State.TRAILER_START);
            }
            case END_LF -> {
                return b == HttpBytes.LF && toState(State.DONE);
            }
            default -> {
                return false;
            }
        }
    }

    private boolean endOfSize(byte b) {
        lineBytes = 0;
        if (b == ';' || HttpBytes.isWhitespace(b)) {
            return toState(State.EXTENSION);
        }
        if (b == HttpBytes.CR) {
            return toState(State.SIZE_LF);
        }
        return b == HttpBytes.LF && sizeLineEnded();
    }

    private boolean sizeLineEnded() {
        digits = 0;
        if (remaining == 0) {
            state = State.TRAILER_START;
        } else {
            dataBytes += remaining;
            state = State.DATA;
        }
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
     * bytes belonged to the body.
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
