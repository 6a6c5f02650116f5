package io.longshore.testkit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One request as a {@link ScriptedBackend} received it: its head exactly as sent, its body
 * (decoded when chunked) and the connection it came on. Immutable.
 */
public final class RecordedRequest {
    private final String head;
    private final byte[] body;
    private final int connection;
    private final int sequence;

    RecordedRequest(String head, byte[] body, int connection, int sequence) {
        this.head = head;
        this.body = body.clone();
        this.connection = connection;
        this.sequence = sequence;
    }

    /** The head as received: request line and header fields, with their CRLFs and the empty line. */
    public String head() {
        return head;
    }

    /** The request line, e.g. {@code GET /p?q=1 HTTP/1.1}. */
    public String requestLine() {
        return head.substring(0, head.indexOf("\r\n"));
    }

    public String method() {
        return requestLine().split(" ")[0];
    }

    /** The request target as sent, path and query. */
    public String target() {
        return requestLine().split(" ")[1];
    }

    /** The first value of the header field {@code name} (any case), or {@code null}. */
    public String header(String name) {
        List<String> values = headers(name);
        return values.isEmpty() ? null : values.get(0);
    }

    /** Every value of the header fields named {@code name} (any case), in order. */
    public List<String> headers(String name) {
        List<String> values = new ArrayList<>();
        String[] lines = head.split("\r\n");
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0 && lines[i].substring(0, colon).trim().equalsIgnoreCase(name)) {
                values.add(lines[i].substring(colon + 1).trim());
            }
        }
        return values;
    }

    /** The body's bytes (chunked framing removed); empty when there was none or it was not read. */
    public byte[] bodyBytes() {
        return body.clone();
    }

    /** The body as text (ISO-8859-1, so every byte is one character). */
    public String body() {
        return new String(body, StandardCharsets.ISO_8859_1);
    }

    /** The backend's number for the connection it came on: 1 for the first accepted, and so on. */
    public int connection() {
        return connection;
    }

    /** Its place among all the requests the backend received, from 1. */
    public int sequence() {
        return sequence;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RecordedRequest r && r.head.equals(head) && Arrays.equals(r.body, body)
                && r.connection == connection && r.sequence == sequence;
    }

    @Override
    public int hashCode() {
        return head.hashCode() * 31 + sequence;
    }

    @Override
    public String toString() {
        return "#" + sequence + " " + requestLine() + " (" + body.length + " body bytes, connection " + connection + ")";
    }
}
