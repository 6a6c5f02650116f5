package io.longshore.jetty;

import io.longshore.api.Endpoint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A replica that records every byte each connection brings, and whether the gateway closed it:
 * for checking what reached a replica, byte for byte, when the gateway refused a request
 * part-way. It answers nothing, or (with an answer) sends that answer as soon as a connection's
 * first request head is in (or another marker: the end of a chunked body), without reading the
 * body first, and then goes on recording.
 * Thread-safe.
 */
final class RecordingReplica implements AutoCloseable {
    private final ServerSocket server;
    private final List<Received> connections = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    /** What one connection brought. */
    static final class Received {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private volatile boolean closedByGateway;

        synchronized String text() {
            return bytes.toString(StandardCharsets.ISO_8859_1);
        }

        boolean closedByGateway() {
            return closedByGateway;
        }
    }

    private static final String END_OF_HEAD = "\r\n\r\n";

    private final byte[] answerAfterHead;
    private final String answerAfter;

    RecordingReplica() throws IOException {
        this(null);
    }

    /** Answers {@code answerAfterHead} once per connection, when its first head is in ({@code null}: never). */
    RecordingReplica(String answerAfterHead) throws IOException {
        this(answerAfterHead, END_OF_HEAD);
    }

    /** Answers {@code answer} once per connection, as soon as what it brought contains {@code after}. */
    RecordingReplica(String answer, String after) throws IOException {
        this.answerAfterHead = answer == null ? null : answer.getBytes(StandardCharsets.ISO_8859_1);
        this.answerAfter = after;
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::accept, "recording-replica");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Received received = new Received();
                connections.add(received);
                Thread reader = new Thread(() -> record(socket, received, answerAfterHead, answerAfter),
                        "recording-replica-connection");
                reader.setDaemon(true);
                reader.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void record(Socket socket, Received received, byte[] answer, String after) {
        try (socket; InputStream in = socket.getInputStream()) {
            byte[] chunk = new byte[4096];
            boolean answered = answer == null;
            for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
                synchronized (received) {
                    received.bytes.write(chunk, 0, n);
                }
                if (!answered && received.text().contains(after)) {
                    answered = true;
                    socket.getOutputStream().write(answer);
                    socket.getOutputStream().flush();
                }
            }
            received.closedByGateway = true;
        } catch (IOException e) {
            received.closedByGateway = true; // a reset is a close too
        }
    }

    int port() {
        return server.getLocalPort();
    }

    Endpoint endpoint() {
        return Endpoint.loopback(port());
    }

    List<Received> connections() {
        return List.copyOf(connections);
    }

    /** Everything every connection brought, in the order the connections came. */
    String allText() {
        StringBuilder all = new StringBuilder();
        connections.forEach(c -> all.append(c.text()));
        return all.toString();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
