package io.longshore.jetty;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A replica whose every byte a test chooses: it reads each request (head, then a body framed
 * by Content-Length or chunked) and writes what the script answers; the script may also close
 * the connection. Records what it received. Thread-safe.
 */
final class ScriptedBackend implements AutoCloseable {
    /** What to send back for one request; return false to close the connection after it. */
    interface Script {
        boolean answer(Received request, OutputStream out) throws IOException;
    }

    /** One request as the replica received it. */
    record Received(String head, String body, int connection) {
        String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }

        String requestLine() {
            return head.substring(0, head.indexOf("\r\n"));
        }
    }

    private final ServerSocket server;
    private final Script script;
    private final boolean readsBody;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    ScriptedBackend(Script script) throws IOException {
        this(true, script);
    }

    /** With {@code readsBody} false the script answers right after the head (the body is left unread). */
    ScriptedBackend(boolean readsBody, Script script) throws IOException {
        this.readsBody = readsBody;
        this.script = script;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "scripted-backend-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A replica that answers every request with {@code 200} and {@code body}. */
    static ScriptedBackend answering(String body) throws IOException {
        return new ScriptedBackend((request, out) -> ok(out, body));
    }

    /** A replica that holds every request until {@code release} opens, then answers {@code 200} and {@code body}. */
    static ScriptedBackend holding(java.util.concurrent.CountDownLatch release, String body) throws IOException {
        return new ScriptedBackend((request, out) -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            return ok(out, body);
        });
    }

    /** Writes {@code 200} with {@code body}; true (the connection stays open). */
    static boolean ok(OutputStream out, String body) throws IOException {
        out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                .getBytes(StandardCharsets.ISO_8859_1));
        return true;
    }

    int port() {
        return server.getLocalPort();
    }

    List<Received> received() {
        return received;
    }

    /** Connections accepted so far. */
    int connections() {
        return connections.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                sockets.add(socket);
                int number = connections.incrementAndGet();
                Thread serving = new Thread(() -> serve(socket, number), "scripted-connection-" + number);
                serving.setDaemon(true);
                serving.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket, int number) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            while (true) {
                String head = head(in);
                if (head == null) {
                    return;
                }
                Received request = new Received(head, readsBody ? body(in, head) : "", number);
                received.add(request);
                boolean keep = script.answer(request, out);
                out.flush();
                if (!keep) {
                    return;
                }
            }
        } catch (IOException e) {
            // the gateway went away
        }
    }

    private static String head(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int last = 0;
        for (int c = in.read(); c >= 0; c = in.read()) {
            head.write(c);
            last = (last << 8) | c;
            if (last == 0x0D0A0D0A) {
                return head.toString(StandardCharsets.ISO_8859_1);
            }
        }
        return null;
    }

    private static String body(InputStream in, String head) throws IOException {
        String lower = head.toLowerCase(Locale.ROOT);
        if (lower.contains("\r\ntransfer-encoding: chunked")) {
            return HttpStreams.chunkedBody(in);
        }
        int at = lower.indexOf("\r\ncontent-length:");
        if (at < 0) {
            return "";
        }
        int end = lower.indexOf("\r\n", at + 2);
        int length = Integer.parseInt(lower.substring(at + 17, end).trim());
        return new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
