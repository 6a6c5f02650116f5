package io.longshore.testkit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link ScriptedBackend} does with one request: a response built from a status, header
 * fields and a body (framed by {@code Content-Length}, chunked, or by closing the connection),
 * or raw bytes written exactly as given; optionally delayed, sent in parts with pauses, cut off
 * by a connection reset, followed by closing the connection, or no answer at all. Each
 * {@code with…} method returns a new response. Immutable.
 *
 * <pre>{@code
 * backend.enqueue(ScriptedResponse.ok("hello"));
 * backend.enqueue(ScriptedResponse.status(503).withHeader("Retry-After", "1"));
 * backend.enqueue(ScriptedResponse.ok("x".repeat(100_000)).chunked(8192).throttled(8192, Duration.ofMillis(5)));
 * backend.enqueue(ScriptedResponse.reset());
 * }</pre>
 */
public final class ScriptedResponse {
    /** How the response ends the exchange on its connection. */
    enum Ending { KEEP_ALIVE, CLOSE, RESET, NO_ANSWER }

    private final int status;
    private final List<String[]> headers;
    private final byte[] body;
    private final int chunkSize;
    private final boolean lengthless;
    private final byte[] raw;
    private final Duration delay;
    private final int partBytes;
    private final Duration partPause;
    private final int resetAfterBytes;
    private final Ending ending;

    private ScriptedResponse(int status, List<String[]> headers, byte[] body, int chunkSize, boolean lengthless,
                             byte[] raw, Duration delay, int partBytes, Duration partPause, int resetAfterBytes,
                             Ending ending) {
        this.status = status;
        this.headers = List.copyOf(headers);
        this.body = body;
        this.chunkSize = chunkSize;
        this.lengthless = lengthless;
        this.raw = raw;
        this.delay = delay;
        this.partBytes = partBytes;
        this.partPause = partPause;
        this.resetAfterBytes = resetAfterBytes;
        this.ending = ending;
    }

    /** {@code 200 OK} with {@code body} (UTF-8) and its {@code Content-Length}. */
    public static ScriptedResponse ok(String body) {
        return status(200).withBody(body);
    }

    /** {@code status} with an empty body ({@code Content-Length: 0}). */
    public static ScriptedResponse status(int status) {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("status must be a three-digit code, was " + status);
        }
        return new ScriptedResponse(status, List.of(), new byte[0], 0, false, null, Duration.ZERO, 0, Duration.ZERO,
                -1, Ending.KEEP_ALIVE);
    }

    /** Exactly these bytes (ISO-8859-1), whatever they are: interim responses, bad framing, several responses. */
    public static ScriptedResponse raw(String bytes) {
        Objects.requireNonNull(bytes, "bytes");
        return new ScriptedResponse(0, List.of(), new byte[0], 0, false, bytes.getBytes(StandardCharsets.ISO_8859_1),
                Duration.ZERO, 0, Duration.ZERO, -1, Ending.KEEP_ALIVE);
    }

    /** Resets the connection (TCP RST) instead of answering. */
    public static ScriptedResponse reset() {
        return raw("").withEnding(Ending.RESET);
    }

    /** Never answers: the connection stays open and silent until the backend closes. */
    public static ScriptedResponse noAnswer() {
        return raw("").withEnding(Ending.NO_ANSWER);
    }

    /** Adds a header field (after any added before; fields may repeat). */
    public ScriptedResponse withHeader(String name, String value) {
        List<String[]> more = new ArrayList<>(headers);
        more.add(new String[] {Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value")});
        return new ScriptedResponse(status, more, body, chunkSize, lengthless, raw, delay, partBytes, partPause,
                resetAfterBytes, ending);
    }

    /** The body, as UTF-8. */
    public ScriptedResponse withBody(String text) {
        return withBody(Objects.requireNonNull(text, "text").getBytes(StandardCharsets.UTF_8));
    }

    public ScriptedResponse withBody(byte[] bytes) {
        return new ScriptedResponse(status, headers, bytes.clone(), chunkSize, lengthless, raw, delay, partBytes,
                partPause, resetAfterBytes, ending);
    }

    /** Sends the body chunked, in chunks of at most {@code size} bytes, instead of with a length. */
    public ScriptedResponse chunked(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("size must be >= 1, was " + size);
        }
        return new ScriptedResponse(status, headers, body, size, false, raw, delay, partBytes, partPause,
                resetAfterBytes, ending);
    }

    /** Sends the body without a length and ends it by closing the connection. */
    public ScriptedResponse delimitedByClose() {
        return new ScriptedResponse(status, headers, body, 0, true, raw, delay, partBytes, partPause,
                resetAfterBytes, Ending.CLOSE);
    }

    /** Waits this long before the first byte. */
    public ScriptedResponse delayed(Duration pause) {
        return new ScriptedResponse(status, headers, body, chunkSize, lengthless, raw, requireNotNegative(pause),
                partBytes, partPause, resetAfterBytes, ending);
    }

    /** Writes the response in parts of {@code bytes}, pausing {@code pause} between them. */
    public ScriptedResponse throttled(int bytes, Duration pause) {
        if (bytes < 1) {
            throw new IllegalArgumentException("bytes must be >= 1, was " + bytes);
        }
        return new ScriptedResponse(status, headers, body, chunkSize, lengthless, raw, delay, bytes,
                requireNotNegative(pause), resetAfterBytes, ending);
    }

    /** Writes only the first {@code bytes} bytes of the response, then resets the connection. */
    public ScriptedResponse resetAfter(int bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must be >= 0, was " + bytes);
        }
        return new ScriptedResponse(status, headers, body, chunkSize, lengthless, raw, delay, partBytes, partPause,
                bytes, Ending.RESET);
    }

    /** Closes the connection after the response, without saying so in a {@code Connection} field. */
    public ScriptedResponse thenClose() {
        return withEnding(Ending.CLOSE);
    }

    private ScriptedResponse withEnding(Ending end) {
        return new ScriptedResponse(status, headers, body, chunkSize, lengthless, raw, delay, partBytes, partPause,
                resetAfterBytes, end);
    }

    private static Duration requireNotNegative(Duration pause) {
        if (Objects.requireNonNull(pause, "pause").isNegative()) {
            throw new IllegalArgumentException("pause must not be negative, was " + pause);
        }
        return pause;
    }

    Ending ending() {
        return ending;
    }

    Duration delay() {
        return delay;
    }

    int partBytes() {
        return partBytes;
    }

    Duration partPause() {
        return partPause;
    }

    int resetAfterBytes() {
        return resetAfterBytes;
    }

    /** The bytes on the wire; {@code headRequest} leaves the body out (a response to HEAD has none). */
    byte[] bytes(boolean headRequest) {
        if (raw != null) {
            return raw.clone();
        }
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason()).append("\r\n");
        for (String[] field : headers) {
            head.append(field[0]).append(": ").append(field[1]).append("\r\n");
        }
        if (chunkSize > 0) {
            head.append("Transfer-Encoding: chunked\r\n");
        } else if (!lengthless) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream(head.length() + body.length + 64);
        out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (!headRequest) {
            writeBody(out);
        }
        return out.toByteArray();
    }

    private void writeBody(ByteArrayOutputStream out) {
        if (chunkSize == 0) {
            out.writeBytes(body);
            return;
        }
        for (int at = 0; at < body.length; at += chunkSize) {
            int length = Math.min(chunkSize, body.length - at);
            out.writeBytes((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body, at, length);
            out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    }

    private String reason() {
        return switch (status) {
            case 200 -> "OK";
            case 201 -> "Created";
            case 204 -> "No Content";
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 413 -> "Content Too Large";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "Status";
        };
    }

    @Override
    public String toString() {
        return raw != null ? "raw response (" + raw.length + " bytes, " + ending + ")"
                : status + " with " + body.length + " body bytes (" + ending + ")";
    }
}
