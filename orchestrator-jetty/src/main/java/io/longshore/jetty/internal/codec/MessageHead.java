package io.longshore.jetty.internal.codec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A parsed message head: a copy of its bytes and, per header field, where its name and value
 * lie, plus what the proxy reads from the fields (message framing and the {@code Connection}
 * options). Parsing records offsets; it creates no strings. Reused from message to message;
 * not thread-safe.
 */
abstract class MessageHead {
    /** No {@code Content-Length}. */
    public static final long NO_LENGTH = -1;

    private static final byte[] CHUNKED = HttpBytes.ascii("chunked");
    private static final byte[] CLOSE = HttpBytes.ascii("close");
    private static final byte[] KEEP_ALIVE = HttpBytes.ascii("keep-alive");
    private static final byte[] UPGRADE = HttpBytes.ascii("upgrade");

    /** The room a head starts with; it grows, doubling, to the limit when a head needs it. */
    static final int INITIAL_BYTES = 1024;

    /** The head's bytes: grows up to {@link #maxBytes}, so a connection idle with a partial head holds little. */
    protected byte[] bytes;
    private final int maxBytes;
    private final HeadReader reader = new HeadReader();
    protected int length;
    private int fieldCount;
    private int[] nameStart = new int[16];
    private int[] nameEnd = new int[16];
    private int[] valueStart = new int[16];
    private int[] valueEnd = new int[16];
    private byte[] names = new byte[16];
    /**
     * The most {@code Connection} options a head may name: each field is checked against each
     * option ({@link #isNamedByConnection}), so thousands of both in a large head would cost the
     * event loop milliseconds per message. Real heads name one to three.
     */
    static final int MAX_CONNECTION_OPTIONS = 32;
    private int tokenCount;
    private int[] tokenStart = new int[4];
    private int[] tokenEnd = new int[4];
    protected long contentLength;
    protected boolean transferEncoding;
    protected boolean chunked;
    private boolean chunkedSeen;
    protected boolean otherCoding;
    protected boolean close;
    protected boolean keepAlive;
    /** Whether {@code Connection} names {@code upgrade}. */
    protected boolean upgradeOption;
    /** The {@code Upgrade} field's index, or -1. */
    protected int upgradeField;
    /** Whether the start line says {@code HTTP/1.0} (set by the subclass's parser). */
    protected boolean http10;
    private boolean startLineRead;

    protected MessageHead(int maxBytes) {
        this.maxBytes = maxBytes;
        this.bytes = new byte[Math.min(maxBytes, INITIAL_BYTES)];
    }

    /**
     * Parses the head at the start of {@code buffer}'s remaining bytes, leaving the buffer's
     * position alone. Returns a {@link Parse} result; a head longer than the limit given at
     * construction is an error (431 for requests, 502 for responses).
     */
    public final int parse(ByteBuffer buffer) {
        reader.restart();
        return parseMore(buffer);
    }

    /**
     * Like {@link #parse} for a head that arrives piece by piece in one buffer: goes on from
     * where the last call that answered {@link Parse#NEED_MORE} stopped (the head's start may
     * have moved in the buffer meanwhile, not its bytes), so a head trickled byte by byte costs
     * its length once, not its length squared. A complete head or an error starts over.
     */
    public final int parseMore(ByteBuffer buffer) {
        int end = reader.read(buffer, bytes, maxBytes);
        while (end == HeadReader.NEED_ROOM) {
            bytes = Arrays.copyOf(bytes, Math.min(maxBytes, bytes.length * 2));
            end = reader.read(buffer, bytes, maxBytes);
        }
        if (end == HeadReader.NEED_MORE) {
            return Parse.NEED_MORE;
        }
        reset();
        if (end < 0) {
            return Parse.error(tooLargeStatus(end == HeadReader.START_LINE_TOO_LARGE));
        }
        length = end;
        int result = parseHead();
        if (result > 0) {
            result = interpretFields(result);
        }
        return result < 0 ? Parse.error(errorStatus(Parse.status(result))) : result;
    }

    /** Bytes of an incomplete head taken in by {@link #parseMore} so far (0 before its first byte). */
    public final int partialBytes() {
        return reader.progress();
    }

    /** The status to answer for a head that failed to parse with {@code status}. */
    protected int errorStatus(int status) {
        return status;
    }

    /** Parses the start line and fields of {@code bytes[0, length)}; a {@link Parse} result. */
    protected abstract int parseHead();

    /** The status to answer when the head exceeds its limit (in its start line, or later). */
    protected abstract int tooLargeStatus(boolean inStartLine);

    /** Called once per field after all are parsed; returns 0 to go on or a negative error. */
    protected int onField(int index, byte name) {
        return 0;
    }

    /** Called after {@link #onField} saw every field; returns 0 or a negative error. */
    protected int afterFields() {
        return 0;
    }

    /** The start line parsed whole: what a refused head's log line can still show. */
    protected final void startLineRead() {
        startLineRead = true;
    }

    /**
     * Whether the last head parsed had a well-formed start line, even if the head was refused
     * after it (a bad field, an unsupported expectation); false for a head too large to parse.
     */
    public final boolean hasStartLine() {
        return startLineRead;
    }

    private void reset() {
        startLineRead = false;
        fieldCount = 0;
        tokenCount = 0;
        contentLength = NO_LENGTH;
        transferEncoding = false;
        chunked = false;
        chunkedSeen = false;
        otherCoding = false;
        close = false;
        keepAlive = false;
        upgradeOption = false;
        upgradeField = -1;
    }

    /**
     * Parses header fields from {@code i} to the empty line that ends the head. Rejects
     * obs-fold, whitespace before the colon, bare CR and control characters in values.
     */
    protected final int parseFields(int i) {
        byte[] b = bytes;
        int n = length;
        while (true) {
            if (i >= n) {
                return Parse.error(400);
            }
            byte c = b[i];
            if (c == HttpBytes.CR) {
                return i + 1 < n && b[i + 1] == HttpBytes.LF ? i + 2 : Parse.error(400);
            }
            if (c == HttpBytes.LF) {
                return i + 1;
            }
            int ns = i;
            while (i < n && HttpBytes.isToken(b[i])) {
                i++;
            }
            if (i == ns || i >= n || b[i] != HttpBytes.COLON) {
                return Parse.error(400);
            }
            int ne = i++;
            while (i < n && HttpBytes.isWhitespace(b[i])) {
                i++;
            }
            int vs = i;
            while (i < n && HttpBytes.isFieldValue(b[i])) {
                i++;
            }
            int lineEnd = i;
            i = HttpBytes.afterLineEnd(b, i, n);
            if (i < 0) {
                return Parse.error(400);
            }
            int ve = lineEnd;
            while (ve > vs && HttpBytes.isWhitespace(b[ve - 1])) {
                ve--;
            }
            add(ns, ne, vs, ve, HeaderName.of(b, ns, ne));
        }
    }

    private void add(int ns, int ne, int vs, int ve, byte name) {
        if (fieldCount == names.length) {
            int size = fieldCount * 2;
            nameStart = Arrays.copyOf(nameStart, size);
            nameEnd = Arrays.copyOf(nameEnd, size);
            valueStart = Arrays.copyOf(valueStart, size);
            valueEnd = Arrays.copyOf(valueEnd, size);
            names = Arrays.copyOf(names, size);
        }
        nameStart[fieldCount] = ns;
        nameEnd[fieldCount] = ne;
        valueStart[fieldCount] = vs;
        valueEnd[fieldCount] = ve;
        names[fieldCount] = name;
        fieldCount++;
    }

    private int interpretFields(int headLength) {
        for (int i = 0; i < fieldCount; i++) {
            int result = switch (names[i]) {
                case HeaderName.CONTENT_LENGTH -> contentLength(valueStart[i], valueEnd[i]);
                case HeaderName.TRANSFER_ENCODING -> transferCodings(valueStart[i], valueEnd[i]);
                case HeaderName.CONNECTION -> connectionOptions(valueStart[i], valueEnd[i]);
                case HeaderName.UPGRADE -> upgradeField(i);
                default -> 0;
            };
            if (result == 0) {
                result = onField(i, names[i]);
            }
            if (result < 0) {
                return result;
            }
        }
        int result = afterFields();
        return result < 0 ? result : headLength;
    }

    /** {@code 1*DIGIT}, or a list of equal ones (RFC 9110 8.6); every Content-Length field must agree. */
    private int contentLength(int from, int to) {
        byte[] b = bytes;
        int i = from;
        while (true) {
            int digits = i;
            long value = 0;
            while (i < to && HttpBytes.isDigit(b[i])) {
                if (i - digits >= 18) {
                    return Parse.error(400);
                }
                value = value * 10 + (b[i++] - '0');
            }
            if (i == digits || (contentLength != NO_LENGTH && contentLength != value)) {
                return Parse.error(400);
            }
            contentLength = value;
            while (i < to && HttpBytes.isWhitespace(b[i])) {
                i++;
            }
            if (i == to) {
                return 0;
            }
            if (b[i++] != ',') {
                return Parse.error(400);
            }
            while (i < to && HttpBytes.isWhitespace(b[i])) {
                i++;
            }
        }
    }

    /**
     * Transfer codings: {@link #chunked} when chunked is the last coding; chunked twice is an
     * error (RFC 9112 6.1); any other coding sets {@link #otherCoding}.
     */
    private int transferCodings(int from, int to) {
        transferEncoding = true;
        for (int i = from; i < to; ) {
            int start = skipListSeparators(i, to);
            int end = elementEnd(start, to);
            if (end > start) {
                boolean isChunked = HttpBytes.equalsIgnoreCase(bytes, start, end, CHUNKED);
                if (isChunked && chunkedSeen) {
                    return Parse.error(400);
                }
                chunkedSeen |= isChunked;
                otherCoding |= !isChunked;
                chunked = isChunked;
            }
            i = end;
        }
        return 0;
    }

    private int connectionOptions(int from, int to) {
        for (int i = from; i < to; ) {
            int start = skipListSeparators(i, to);
            int end = elementEnd(start, to);
            if (HttpBytes.equalsIgnoreCase(bytes, start, end, CLOSE)) {
                close = true;
            } else if (HttpBytes.equalsIgnoreCase(bytes, start, end, KEEP_ALIVE)) {
                keepAlive = true;
            } else if (end > start) {
                if (tokenCount == MAX_CONNECTION_OPTIONS) {
                    return Parse.error(400);
                }
                upgradeOption |= HttpBytes.equalsIgnoreCase(bytes, start, end, UPGRADE);
                addToken(start, end);
            }
            i = end;
        }
        return 0;
    }

    private int upgradeField(int index) {
        if (upgradeField >= 0) {
            return Parse.error(400); // one Upgrade field: a list split over two is not worth the ambiguity
        }
        upgradeField = index;
        return 0;
    }

    /**
     * Whether the message asks to switch protocols: {@code Connection: upgrade} with an
     * {@code Upgrade} field, in HTTP/1.1 (RFC 9110 7.8).
     */
    public final boolean isUpgrade() {
        return upgradeOption && upgradeField >= 0 && !http10;
    }

    /** The {@code Upgrade} field's index, or -1. */
    public final int upgradeField() {
        return upgradeField;
    }

    private int skipListSeparators(int i, int to) {
        while (i < to && (bytes[i] == ',' || HttpBytes.isWhitespace(bytes[i]))) {
            i++;
        }
        return i;
    }

    /** The end of a list element starting at {@code i}, trailing whitespace excluded. */
    private int elementEnd(int i, int to) {
        int end = i;
        while (end < to && bytes[end] != ',') {
            end++;
        }
        while (end > i && HttpBytes.isWhitespace(bytes[end - 1])) {
            end--;
        }
        return end;
    }

    private void addToken(int start, int end) {
        if (tokenCount == tokenStart.length) {
            tokenStart = Arrays.copyOf(tokenStart, tokenCount * 2);
            tokenEnd = Arrays.copyOf(tokenEnd, tokenCount * 2);
        }
        tokenStart[tokenCount] = start;
        tokenEnd[tokenCount] = end;
        tokenCount++;
    }

    /** Whether field {@code index} is named by a {@code Connection} option (so it is hop-by-hop). */
    public final boolean isNamedByConnection(int index) {
        for (int t = 0; t < tokenCount; t++) {
            int length = tokenEnd[t] - tokenStart[t];
            if (length == nameEnd[index] - nameStart[index] && regionEqualsIgnoreCase(tokenStart[t],
                    nameStart[index], length)) {
                return true;
            }
        }
        return false;
    }

    private boolean regionEqualsIgnoreCase(int a, int b, int length) {
        for (int i = 0; i < length; i++) {
            if (HttpBytes.lower(bytes[a + i]) != HttpBytes.lower(bytes[b + i])) {
                return false;
            }
        }
        return true;
    }

    /** The head's bytes; only {@code [0, length())} is this head. */
    public final byte[] bytes() {
        return bytes;
    }

    /** The head's length in bytes, its final empty line included. */
    public final int length() {
        return length;
    }

    public final int fieldCount() {
        return fieldCount;
    }

    public final int nameStart(int index) {
        return nameStart[index];
    }

    public final int nameEnd(int index) {
        return nameEnd[index];
    }

    public final int valueStart(int index) {
        return valueStart[index];
    }

    public final int valueEnd(int index) {
        return valueEnd[index];
    }

    final byte name(int index) {
        return names[index];
    }

    /** The first value of the field named {@code name} (any case), or {@code null}. Allocates the string. */
    public final String field(String name) {
        int index = fieldIndex(name, 0);
        return index < 0 ? null : text(valueStart[index], valueEnd[index]);
    }

    /** The index of the first field from {@code from} on named {@code name} (ASCII, any case), or -1. Allocates nothing. */
    public final int fieldIndex(String name, int from) {
        int length = name.length();
        for (int i = Math.max(0, from); i < fieldCount; i++) {
            if (nameEnd[i] - nameStart[i] == length && nameEquals(nameStart[i], name)) {
                return i;
            }
        }
        return -1;
    }

    /** The index of the first field named {@code lowerCaseName} (compared in any case), or -1. */
    public final int fieldIndex(byte[] lowerCaseName) {
        for (int i = 0; i < fieldCount; i++) {
            if (HttpBytes.equalsIgnoreCase(bytes, nameStart[i], nameEnd[i], lowerCaseName)) {
                return i;
            }
        }
        return -1;
    }

    private boolean nameEquals(int start, String name) {
        for (int k = 0; k < name.length(); k++) {
            char c = name.charAt(k);
            if (c > 127 || HttpBytes.lower(bytes[start + k]) != HttpBytes.lower((byte) c)) {
                return false;
            }
        }
        return true;
    }

    /** {@code bytes[from, to)} as a string (ISO-8859-1, as HTTP fields are). */
    public final String text(int from, int to) {
        return new String(bytes, from, to - from, StandardCharsets.ISO_8859_1);
    }

    /** The {@code Content-Length}, or {@link #NO_LENGTH}. */
    public final long contentLength() {
        return contentLength;
    }

    /** Whether a {@code Transfer-Encoding} field is present. */
    public final boolean hasTransferEncoding() {
        return transferEncoding;
    }

    /** Whether {@code Transfer-Encoding} names a coding other than {@code chunked} ({@code gzip, chunked}). */
    public final boolean hasOtherTransferCoding() {
        return transferEncoding && otherCoding;
    }

    /** Whether the body is chunked: {@code chunked} is the last transfer coding. */
    public final boolean isChunked() {
        return chunked && transferEncoding;
    }

    /**
     * Whether the connection persists after this message (RFC 9112 9.3): in HTTP/1.1 unless
     * {@code Connection: close}, in HTTP/1.0 only with {@code Connection: keep-alive}.
     */
    protected final boolean persists() {
        return http10 ? keepAlive && !close : !close;
    }

    /** Whether {@code Connection: close} was sent. */
    public final boolean hasClose() {
        return close;
    }

    /** Whether {@code Connection: keep-alive} was sent. */
    public final boolean hasKeepAlive() {
        return keepAlive;
    }
}
