package io.longshore.benchmarks.websocket;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Locale;

/**
 * A WebSocket echo server for the load harness, the WebSocket counterpart of its nginx
 * backends: one thread, one selector, every port given; answers the RFC 6455 handshake on any
 * path and echoes each text or binary message (single frames up to 128 KiB), answers pings and
 * close frames. Lean on purpose, so the proxies in front of it, not it, are what differ.
 *
 * <pre>java -cp benchmarks.jar io.longshore.benchmarks.websocket.EchoServerMain 25001 25002</pre>
 */
public final class EchoServerMain {
    private static final int BUFFER = 128 * 1024 + Frames.MAX_HEADER;

    private EchoServerMain() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.err.println("usage: EchoServerMain PORT [PORT...]");
            System.exit(2);
        }
        try (Selector selector = Selector.open()) {
            for (String port : args) {
                ServerSocketChannel server = ServerSocketChannel.open();
                server.bind(new InetSocketAddress("127.0.0.1", Integer.parseInt(port)), 4096);
                server.configureBlocking(false);
                server.register(selector, SelectionKey.OP_ACCEPT);
            }
            System.out.println("echoing on 127.0.0.1 ports " + String.join(", ", args));
            while (true) {
                selector.select();
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    handle(selector, key);
                }
            }
        }
    }

    private static void handle(Selector selector, SelectionKey key) {
        try {
            if (key.isAcceptable()) {
                SocketChannel channel = ((ServerSocketChannel) key.channel()).accept();
                if (channel != null) {
                    channel.configureBlocking(false);
                    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    channel.register(selector, SelectionKey.OP_READ, new Connection(channel));
                }
                return;
            }
            Connection connection = (Connection) key.attachment();
            if (!connection.serve(key)) {
                key.cancel();
                key.channel().close();
            }
        } catch (IOException | RuntimeException e) {
            key.cancel();
            try {
                key.channel().close();
            } catch (IOException ignored) {
                // closing a failed connection
            }
        }
    }

    /** One client: its handshake, then its frames echoed. */
    private static final class Connection {
        private final SocketChannel channel;
        private final ByteBuffer in = ByteBuffer.allocateDirect(BUFFER);
        private final ByteBuffer out = ByteBuffer.allocateDirect(BUFFER);
        private boolean upgraded;
        private boolean closing;

        Connection(SocketChannel channel) {
            this.channel = channel;
        }

        /** Reads and answers what arrived, writes what is owed; false when the connection is done. */
        boolean serve(SelectionKey key) throws IOException {
            if (key.isReadable() && channel.read(in) < 0) {
                return false;
            }
            in.flip();
            if (!upgraded) {
                upgraded = handshake();
            }
            if (upgraded) {
                echo();
            }
            in.compact();
            out.flip();
            channel.write(out);
            boolean pending = out.hasRemaining();
            out.compact();
            key.interestOps(pending ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
            return pending || !closing;
        }

        private boolean handshake() {
            String text = StandardCharsets.ISO_8859_1.decode(in.duplicate()).toString();
            int end = text.indexOf("\r\n\r\n");
            if (end < 0) {
                if (!in.hasRemaining() || in.remaining() == in.capacity()) {
                    throw new IllegalStateException("request head too large");
                }
                return false;
            }
            String webSocketKey = null;
            for (String line : text.substring(0, end).split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("sec-websocket-key")) {
                    webSocketKey = line.substring(colon + 1).trim();
                }
            }
            if (webSocketKey == null) {
                out.put("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                closing = true;
                in.position(in.limit());
                return false;
            }
            out.put(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + Frames.accept(webSocketKey) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            in.position(in.position() + end + 4);
            return true;
        }

        private void echo() {
            while (!closing) {
                int header = Frames.headerLength(in);
                if (header < 0) {
                    return;
                }
                long length = Frames.payloadLength(in);
                if (length > BUFFER - Frames.MAX_HEADER) {
                    throw new IllegalStateException("message too large for the echo server: " + length);
                }
                if (in.remaining() < header + length || out.remaining() < Frames.MAX_HEADER + length) {
                    return;
                }
                int opcode = Frames.opcode(in);
                int mask = Frames.maskKey(in, header);
                in.position(in.position() + header);
                int reply = opcode == Frames.OP_PING ? Frames.OP_PONG : opcode;
                Frames.header(out, reply, (int) length, false);
                for (int i = 0; i < length; i++) {
                    out.put((byte) (in.get() ^ (mask >>> (8 * (3 - (i & 3))))));
                }
                closing = opcode == Frames.OP_CLOSE;
            }
        }
    }
}
