package io.longshore.kubernetes;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on 127.0.0.1 in front of the mock API server, so a test can take the API server
 * away from the runtime: {@link #cut()} closes every connection and refuses new ones (closing
 * them at once), {@link #stall()} forwards nothing more while keeping connections open (a server
 * that stops answering), {@link #stallAtNextWatch()} does so when a watch is being opened,
 * {@link #restore()} forwards again. With an idle timeout it plays a load
 * balancer: a connection that carried no byte either way for that long is closed, as a quiet
 * watch is. Thread-safe.
 */
final class ApiServerProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final int target;
    /** 0: no idle timeout. */
    private final long idleMillis;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final AtomicInteger idleClosed = new AtomicInteger();
    private volatile boolean cut;
    private volatile boolean stalled;
    private volatile boolean stallAtWatch;

    ApiServerProxy(int target) throws IOException {
        this(target, Duration.ZERO);
    }

    /** {@code idleTimeout}: how long a connection may carry nothing before it is closed; zero for ever. */
    ApiServerProxy(int target, Duration idleTimeout) throws IOException {
        this.target = target;
        this.idleMillis = idleTimeout.toMillis();
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "api-server-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String url() {
        return "http://127.0.0.1:" + listener.getLocalPort() + "/";
    }

    /** How many connections the idle timeout closed so far. */
    int idleClosed() {
        return idleClosed.get();
    }

    /** Closes every connection open now; new ones are forwarded as before. */
    void drop() {
        open.forEach(ApiServerProxy::closeQuietly);
        open.clear();
    }

    /** Closes every connection and closes new ones at once until {@link #restore()}. */
    void cut() {
        cut = true;
        drop();
    }

    /**
     * Forwards nothing more either way until {@link #restore()}: connections, open and new, stay
     * open (until the idle timeout, if any) and get no answer.
     */
    void stall() {
        stalled = true;
    }

    /**
     * Forwards as before until a client sends a watch request ({@code watch=true}), then, without
     * forwarding that request, stalls as {@link #stall()} does: a server that goes silent as a watch
     * is being opened.
     */
    void stallAtNextWatch() {
        stallAtWatch = true;
    }

    /** Whether the proxy forwards nothing now. */
    boolean stalled() {
        return stalled;
    }

    void restore() {
        cut = false;
        stalled = false;
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                if (cut) {
                    closeQuietly(client);
                    continue;
                }
                Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
                open.add(client);
                open.add(server);
                Link link = new Link(client, server);
                pump(link, client, server, true);
                pump(link, server, client, false);
            } catch (IOException e) {
                if (listener.isClosed()) {
                    return;
                }
            }
        }
    }

    /** A client's connection and the one to the server for it, and when either last carried a byte. */
    private final class Link {
        private final Socket client;
        private final Socket server;
        private final AtomicBoolean closed = new AtomicBoolean();
        private volatile long lastActivityNanos = System.nanoTime();

        Link(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void active() {
            lastActivityNanos = System.nanoTime();
        }

        /** Closes both once idle for the timeout; whether it did. */
        boolean closeIfIdle() {
            if (System.nanoTime() - lastActivityNanos < idleMillis * 1_000_000) {
                return false;
            }
            if (closed.compareAndSet(false, true)) {
                idleClosed.incrementAndGet();
            }
            closeQuietly(client);
            closeQuietly(server);
            return true;
        }
    }

    /** {@code request}: whether {@code from} is the client, so what it sends are requests. */
    private void pump(Link link, Socket from, Socket to, boolean request) throws IOException {
        if (idleMillis > 0) {
            from.setSoTimeout((int) Math.max(10, idleMillis / 4));
        }
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                while (true) {
                    int read;
                    try {
                        read = in.read(buffer);
                    } catch (SocketTimeoutException e) {
                        if (link.closeIfIdle()) {
                            return;
                        }
                        continue;
                    }
                    if (read < 0) {
                        return;
                    }
                    if (request && stallAtWatch && opensWatch(buffer, read)) {
                        stallAtWatch = false;
                        stalled = true;
                    }
                    if (!stalled) { // a stalled server neither gets the request nor answers it
                        link.active();
                        out.write(buffer, 0, read);
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // cut
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "api-server-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static boolean opensWatch(byte[] buffer, int length) {
        return new String(buffer, 0, length, StandardCharsets.ISO_8859_1).contains("watch=true");
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        cut();
    }
}
