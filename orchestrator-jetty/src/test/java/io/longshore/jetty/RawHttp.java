package io.longshore.jetty;

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
 * library would smooth over: exact framing, pipelining, HTTP/1.0, malformed input.
 */
final class RawHttp implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawHttp(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    RawHttp send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return this;
    }

    /** Reads one response; {@code head} says it answers a HEAD request (no body). */
    Response read(boolean head) throws IOException {
        String statusLine = line();
        List<String[]> headers = new ArrayList<>();
        for (String line = line(); !line.isEmpty(); line = line()) {
            int colon = line.indexOf(':');
            headers.add(new String[] {line.substring(0, colon).trim(), line.substring(colon + 1).trim()});
        }
        Response response = new Response(statusLine, headers);
        int status = response.status();
        String length = response.header("Content-Length");
        if (head || status == 204 || status == 304 || status / 100 == 1) {
            response.body = "";
        } else if ("chunked".equalsIgnoreCase(response.header("Transfer-Encoding"))) {
            response.body = HttpStreams.chunkedBody(in);
        } else if (length != null) {
            response.body = new String(in.readNBytes(Integer.parseInt(length)), StandardCharsets.ISO_8859_1);
        } else {
            response.body = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
        return response;
    }

    Response read() throws IOException {
        return read(false);
    }

    /** Whether the gateway closed the connection (the next read sees the end of the stream). */
    boolean isClosedByPeer() throws IOException {
        return in.read() < 0;
    }

    private String line() throws IOException {
        return HttpStreams.line(in);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** One response as read. */
    static final class Response {
        final String statusLine;
        final List<String[]> headers;
        String body;

        Response(String statusLine, List<String[]> headers) {
            this.statusLine = statusLine;
            this.headers = headers;
        }

        int status() {
            return Integer.parseInt(statusLine.substring(9, 12));
        }

        String header(String name) {
            for (String[] header : headers) {
                if (header[0].toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                    return header[1];
                }
            }
            return null;
        }
    }
}
