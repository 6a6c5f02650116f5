package io.longshore.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A client that writes requests byte for byte and reads responses by hand, for what an HTTP
 * library smooths over when testing a proxy: exact framing, pipelining, HTTP/1.0, malformed
 * input, whether the server closed the connection. One connection to 127.0.0.1; reads time out
 * after 10 seconds. Not thread-safe.
 *
 * <pre>{@code
 * try (RawHttpClient http = new RawHttpClient(gatewayPort)) {
 *     RawHttpClient.Response response = http.send("GET / HTTP/1.0\r\n\r\n").read();
 *     assertThat(response.header("Connection")).isEqualTo("close");
 *     assertThat(http.isClosedByPeer()).isTrue();
 * }
 * }</pre>
 */
public final class RawHttpClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public RawHttpClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** Writes {@code text} (ISO-8859-1) as it is. */
    public RawHttpClient send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return this;
    }

    /** Reads one response; {@code head} says it answers a HEAD request (so it has no body). */
    public Response read(boolean head) throws IOException {
        String statusLine = HttpStreams.line(in);
        List<String[]> headers = new ArrayList<>();
        for (String line = HttpStreams.line(in); !line.isEmpty(); line = HttpStreams.line(in)) {
            int colon = line.indexOf(':');
            headers.add(new String[] {line.substring(0, colon).trim(), line.substring(colon + 1).trim()});
        }
        Response response = new Response(statusLine, headers, "");
        int status = response.status();
        String length = response.header("Content-Length");
        byte[] body;
        if (head || status == 204 || status == 304 || status / 100 == 1) {
            body = new byte[0];
        } else if ("chunked".equalsIgnoreCase(response.header("Transfer-Encoding"))) {
            body = HttpStreams.chunkedBody(in);
        } else if (length != null) {
            body = in.readNBytes(Integer.parseInt(length));
        } else {
            body = in.readAllBytes();
        }
        return new Response(statusLine, headers, new String(body, StandardCharsets.ISO_8859_1));
    }

    /** Reads one response to a request other than HEAD. */
    public Response read() throws IOException {
        return read(false);
    }

    /** Whether the server closed the connection: the next read sees the end of the stream. */
    public boolean isClosedByPeer() throws IOException {
        return in.read() < 0;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** One response as read: its status line, header fields in order, and body (chunked framing removed). Immutable. */
    public static final class Response {
        private final String statusLine;
        private final List<String[]> headers;
        private final String body;

        Response(String statusLine, List<String[]> headers, String body) {
            this.statusLine = statusLine;
            this.headers = List.copyOf(headers);
            this.body = body;
        }

        public String statusLine() {
            return statusLine;
        }

        public int status() {
            return Integer.parseInt(statusLine.substring(9, 12));
        }

        /** The first value of the field {@code name} (any case), or {@code null}. */
        public String header(String name) {
            for (String[] header : headers) {
                if (header[0].toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                    return header[1];
                }
            }
            return null;
        }

        /** The body as text, one character per byte (ISO-8859-1). */
        public String body() {
            return body;
        }

        @Override
        public String toString() {
            return statusLine + " (" + body.length() + " body bytes)";
        }
    }
}
