package io.longshore.docker;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * A TCP listener on 127.0.0.1 that forwards each connection to the engine's Unix socket, so a
 * test can cut every connection (as an engine restart would) and watch the runtime reconnect, or
 * lose the engine's answers to one kind of request (the engine acts, the client never hears).
 * Thread-safe.
 */
final class EngineConnectionProxy implements AutoCloseable {
    private final ServerSocketChannel server;
    private final Path socket;
    private final List<SocketChannel> open = new CopyOnWriteArrayList<>();
    private final Thread acceptor;
    private volatile String lostAnswers;

    EngineConnectionProxy(int port, Path socket) throws IOException {
        this.socket = socket;
        this.server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", port));
        this.acceptor = new Thread(this::accept, "engine-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String dockerHost() throws IOException {
        return "tcp://127.0.0.1:" + ((InetSocketAddress) server.getLocalAddress()).getPort();
    }

    /** Cuts every connection open now; new ones are still accepted. */
    void dropConnections() {
        for (SocketChannel channel : open) {
            closeQuietly(channel);
        }
        open.clear();
    }

    /**
     * From now on, the answer to a {@code POST} whose path contains {@code pathPart} (and all
     * later traffic from the engine on that connection) is dropped; the request still reaches the
     * engine.
     */
    void loseAnswersToPostsOf(String pathPart) {
        lostAnswers = pathPart;
    }

    private void accept() {
        while (server.isOpen()) {
            try {
                SocketChannel client = server.accept();
                SocketChannel engine = SocketChannel.open(StandardProtocolFamily.UNIX);
                engine.connect(UnixDomainSocketAddress.of(socket));
                open.add(client);
                open.add(engine);
                AtomicBoolean answersLost = new AtomicBoolean();
                pump(client, engine, answersLost, this::losesAnswerTo);
                pump(engine, client, answersLost, null);
            } catch (IOException e) {
                return;
            }
        }
    }

    private boolean losesAnswerTo(String requestLine) {
        String path = lostAnswers;
        return path != null && requestLine.startsWith("POST ") && requestLine.contains(path);
    }

    /** Copies {@code from} to {@code to}; requests are checked by {@code lose}, answers dropped once lost. */
    private static void pump(SocketChannel from, SocketChannel to, AtomicBoolean answersLost,
                             Predicate<String> lose) {
        Thread thread = new Thread(() -> {
            ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
            try {
                while (from.read(buffer) >= 0) {
                    buffer.flip();
                    if (lose != null && lose.test(firstLine(buffer))) {
                        answersLost.set(true);
                    }
                    if (lose == null && answersLost.get()) {
                        buffer.clear();
                        continue;
                    }
                    while (buffer.hasRemaining()) {
                        to.write(buffer);
                    }
                    buffer.clear();
                }
            } catch (IOException e) {
                // connection cut
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "engine-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static String firstLine(ByteBuffer buffer) {
        return StandardCharsets.ISO_8859_1.decode(buffer.duplicate()).toString().split("\r\n", 2)[0];
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        dropConnections();
    }
}
