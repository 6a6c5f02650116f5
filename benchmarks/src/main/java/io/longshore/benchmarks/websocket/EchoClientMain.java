package io.longshore.benchmarks.websocket;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * WebSocket echo load for the load harness, as wrk is for HTTP: opens {@code connections}
 * WebSockets to {@code host:port} (through a proxy, to {@link EchoServerMain}), and on each
 * sends a text message of {@code size} bytes, waits for its echo, sends the next, for
 * {@code seconds}; one thread, one selector. Prints one line:
 *
 * <pre>LSWS messages=N duration_us=N p50_us=N p99_us=N p999_us=N max_us=N errors=N</pre>
 *
 * (round trips measured from the message's write to its echo's last byte).
 *
 * <pre>java -cp benchmarks.jar io.longshore.benchmarks.websocket.EchoClientMain 127.0.0.1 25010 32 10 64</pre>
 */
public final class EchoClientMain {
    private EchoClientMain() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 5) {
            System.err.println("usage: EchoClientMain HOST PORT CONNECTIONS SECONDS SIZE");
            System.exit(2);
        }
        InetSocketAddress target = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        int connections = Integer.parseInt(args[2]);
        long seconds = Long.parseLong(args[3]);
        int size = Integer.parseInt(args[4]);
        if (connections < 1 || seconds < 1 || size < 1 || size > 128 * 1024) {
            System.err.println("connections and seconds must be >= 1, size 1..131072");
            System.exit(2);
        }
        RoundTrips trips = new RoundTrips();
        long errors = 0;
        List<Socket> sockets = new ArrayList<>();
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < connections; i++) {
                Socket socket = Socket.open(target, size, trips);
                if (socket == null) {
                    errors++;
                } else {
                    sockets.add(socket);
                    socket.channel.register(selector, SelectionKey.OP_READ, socket);
                    socket.send();
                }
            }
            long start = System.nanoTime();
            long end = start + seconds * 1_000_000_000L;
            while (System.nanoTime() < end && !sockets.isEmpty()) {
                selector.select(100);
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    Socket socket = (Socket) key.attachment();
                    if (!socket.receive()) {
                        errors++;
                        key.cancel();
                        socket.channel.close();
                        sockets.remove(socket);
                    }
                }
            }
            long micros = (System.nanoTime() - start) / 1000;
            System.out.printf("LSWS messages=%d duration_us=%d p50_us=%d p99_us=%d p999_us=%d max_us=%d errors=%d%n",
                    trips.count(), micros, trips.percentile(0.50), trips.percentile(0.99), trips.percentile(0.999),
                    trips.max(), errors);
        }
    }

    /** Round-trip times in microseconds, counted in 1 µs buckets up to 1 s (beyond: the last). */
    private static final class RoundTrips {
        private final long[] buckets = new long[1_000_001];
        private long count;
        private long max;

        void record(long nanos) {
            long micros = Math.min(nanos / 1000, buckets.length - 1);
            buckets[(int) micros]++;
            count++;
            max = Math.max(max, micros);
        }

        long count() {
            return count;
        }

        long max() {
            return max;
        }

        long percentile(double p) {
            long wanted = (long) Math.ceil(count * p);
            long seen = 0;
            for (int i = 0; i < buckets.length; i++) {
                seen += buckets[i];
                if (seen >= wanted && seen > 0) {
                    return i;
                }
            }
            return max;
        }
    }

    /** One WebSocket: a message out, its echo awaited. */
    private static final class Socket {
        private final SocketChannel channel;
        private final ByteBuffer message;
        private final ByteBuffer in;
        private final RoundTrips trips;
        private long sentAt;

        private Socket(SocketChannel channel, int size, RoundTrips trips) {
            this.channel = channel;
            this.trips = trips;
            this.message = ByteBuffer.allocateDirect(Frames.MAX_HEADER + size);
            Frames.header(message, Frames.OP_TEXT, size, true);
            for (int i = 0; i < size; i++) {
                message.put((byte) ('a' + i % 26));
            }
            message.flip();
            this.in = ByteBuffer.allocateDirect(2 * (Frames.MAX_HEADER + size) + 4096);
        }

        /** Connects and upgrades (blocking), or null when the handshake fails. */
        static Socket open(InetSocketAddress target, int size, RoundTrips trips) throws IOException {
            SocketChannel channel = SocketChannel.open(target);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.write(ByteBuffer.wrap(("GET /ws HTTP/1.1\r\nHost: " + target.getHostString() + ":" + target.getPort()
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer head = ByteBuffer.allocate(4096);
            while (true) {
                if (channel.read(head) < 0 || !head.hasRemaining()) {
                    channel.close();
                    return null;
                }
                String text = new String(head.array(), 0, head.position(), StandardCharsets.ISO_8859_1);
                int end = text.indexOf("\r\n\r\n");
                if (end >= 0) {
                    if (!text.startsWith("HTTP/1.1 101") || end + 4 != head.position()) {
                        channel.close();
                        return null;
                    }
                    channel.configureBlocking(false);
                    return new Socket(channel, size, trips);
                }
            }
        }

        void send() throws IOException {
            message.rewind();
            sentAt = System.nanoTime();
            while (message.hasRemaining()) {
                channel.write(message);
            }
        }

        /** Reads what arrived; on a whole echo records its round trip and sends the next. */
        boolean receive() throws IOException {
            if (channel.read(in) < 0) {
                return false;
            }
            in.flip();
            int header = Frames.headerLength(in);
            if (header >= 0) {
                long length = Frames.payloadLength(in);
                if (Frames.opcode(in) != Frames.OP_TEXT || length != message.limit() - headerOf(message)) {
                    return false;
                }
                if (in.remaining() >= header + length) {
                    trips.record(System.nanoTime() - sentAt);
                    in.position((int) (in.position() + header + length));
                    in.compact();
                    send();
                    return true;
                }
            }
            in.compact();
            return true;
        }

        private static int headerOf(ByteBuffer masked) {
            int code = masked.get(1) & 0x7F;
            return 2 + 4 + (code == 126 ? 2 : code == 127 ? 8 : 0);
        }
    }
}
