package io.longshore.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Slow clients for the load harness: keeps {@code count} connections to {@code host:port} open,
 * each trickling a request head one byte at a time, every connection once per
 * {@code intervalMillis} (spread evenly), never finishing it; a connection the gateway closes (its
 * 408) is opened again. Every fourth connection sends nothing at all (an idle one). Runs for
 * {@code seconds} on one thread with one selector, then prints how many heads were refused and
 * how many bytes were trickled, and exits.
 *
 * <pre>java -cp benchmarks.jar io.longshore.benchmarks.SlowClientsMain 127.0.0.1 25010 10000 1000 60</pre>
 */
public final class SlowClientsMain {
    private static final byte[] HEAD = ("GET /small HTTP/1.1\r\nHost: slow\r\nX-Trickle: "
            + "x".repeat(4000)).getBytes(StandardCharsets.US_ASCII);

    private SlowClientsMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: SlowClientsMain HOST PORT COUNT INTERVAL_MS SECONDS");
            System.exit(2);
        }
        InetSocketAddress target = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        int count = Integer.parseInt(args[2]);
        long intervalNanos = Long.parseLong(args[3]) * 1_000_000L;
        long end = System.nanoTime() + Long.parseLong(args[4]) * 1_000_000_000L;
        List<Slow> clients = new ArrayList<>(count);
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < count; i++) {
                clients.add(new Slow(target, i % 4 == 3));
            }
            long reopened = 0;
            long bytes = 0;
            long tick = Math.max(1, intervalNanos / Math.max(1, count));
            int next = 0;
            long due = System.nanoTime();
            while (System.nanoTime() < end) {
                long now = System.nanoTime();
                while (due <= now) {
                    Slow client = clients.get(next);
                    next = (next + 1) % count;
                    due += tick;
                    int sent = client.trickle();
                    if (sent < 0) {
                        reopened++;
                        client.open();
                    } else {
                        bytes += sent;
                    }
                }
                selector.selectNow();
                Thread.sleep(Math.max(0, Math.min(10, (due - System.nanoTime()) / 1_000_000)));
            }
            System.out.println("SLOWCLIENTS connections=" + count + " reopened=" + reopened + " bytes=" + bytes);
        } finally {
            clients.forEach(Slow::close);
        }
    }

    /** One slow client: a non-blocking socket and how far into the head it got. */
    private static final class Slow {
        private final InetSocketAddress target;
        private final boolean silent;
        private final ByteBuffer one = ByteBuffer.allocate(1);
        private final ByteBuffer drain = ByteBuffer.allocate(512);
        private SocketChannel channel;
        private int sent;

        Slow(InetSocketAddress target, boolean silent) throws IOException {
            this.target = target;
            this.silent = silent;
            open();
        }

        void open() throws IOException {
            close();
            channel = SocketChannel.open();
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.connect(target);
            channel.configureBlocking(false);
            sent = 0;
        }

        /** Sends the next byte of the head (none when silent); -1 when the gateway closed the connection. */
        int trickle() {
            try {
                drain.clear();
                if (channel.read(drain) < 0) {
                    return -1; // the 408 (or a close) came and the connection ended
                }
                if (silent || sent >= HEAD.length) {
                    return 0;
                }
                one.clear();
                one.put(HEAD[sent]).flip();
                int written = channel.write(one);
                sent += written;
                return written;
            } catch (IOException e) {
                return -1;
            }
        }

        void close() {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
    }
}
