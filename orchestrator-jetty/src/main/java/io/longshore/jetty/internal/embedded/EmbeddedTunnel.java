package io.longshore.jetty.internal.embedded;

import io.longshore.jetty.internal.policy.HalfClosedTunnels;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * The embedded gateway's byte tunnel between a client's connection (taken over from the host
 * server after the 101) and the replica's: each way relays what one side sends to the other,
 * with back-pressure (no read before the last write finished); a side that ends its stream has
 * the other side's output shut, and the other way goes on, each connection then silent for at
 * most the half-closed timeout; when both ways have ended, a write fails or either connection
 * closes, both close and the owner hears of it once. Each way's
 * events come on its connection's selector thread; the end is decided once. Thread-safe.
 */
final class EmbeddedTunnel {
    /** Hears of the tunnel's end. */
    interface Owner {
        void tunnelClosed(long toClient, long toReplica);
    }

    static final int BUFFER_BYTES = 16 * 1024;

    private final Owner owner;
    private final long finTimeoutMillis;
    private Way toReplica;
    private Way toClient;
    private AbstractConnection client;
    private AbstractConnection replica;
    private boolean closed;

    /**
     * @param finTimeoutMillis how long either connection may stay silent once a side has ended
     *                         its stream (as HAProxy's {@code timeout client-fin})
     */
    EmbeddedTunnel(Owner owner, long finTimeoutMillis) {
        this.owner = owner;
        this.finTimeoutMillis = finTimeoutMillis;
    }

    /**
     * Starts relaying between the two connections, first {@code replicaBytes} to the client and
     * {@code clientBytes} to the replica (what each sent ahead of the switch).
     */
    void start(AbstractConnection clientSide, ByteBuffer clientBytes, AbstractConnection replicaSide,
               ByteBuffer replicaBytes) {
        synchronized (this) {
            client = clientSide;
            replica = replicaSide;
            toReplica = new Way(clientSide, replicaSide.getEndPoint(), clientBytes);
            toClient = new Way(replicaSide, clientSide.getEndPoint(), replicaBytes);
        }
        toClient.pump();
        toReplica.pump();
    }

    /** The connection {@code side} has bytes (or its end). */
    void readable(AbstractConnection side) {
        Way way;
        synchronized (this) {
            way = side == client ? toReplica : side == replica ? toClient : null;
        }
        if (way != null) {
            way.pump();
        }
    }

    /** Closes both connections (once) and tells the owner. */
    void close() {
        Way up;
        Way down;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            up = toReplica;
            down = toClient;
        }
        if (client != null) {
            client.close();
        }
        if (replica != null) {
            replica.close();
        }
        owner.tunnelClosed(down == null ? 0 : down.bytes, up == null ? 0 : up.bytes);
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    private void wayEnded() {
        boolean both;
        synchronized (this) {
            both = toReplica.ended && toClient.ended;
        }
        if (both) {
            close();
            return;
        }
        HalfClosedTunnels.timeOutFromNow(client.getEndPoint(), finTimeoutMillis);
        HalfClosedTunnels.timeOutFromNow(replica.getEndPoint(), finTimeoutMillis);
    }

    /** One direction: reads from one connection, writes to the other's end point. */
    private final class Way implements Callback {
        private final AbstractConnection from;
        private final EndPoint to;
        private final ByteBuffer buffer;
        private boolean running;
        private boolean again;
        private volatile boolean writing;
        private volatile boolean ended;
        private volatile long bytes;

        Way(AbstractConnection from, EndPoint to, ByteBuffer first) {
            this.from = from;
            this.to = to;
            int size = Math.max(BUFFER_BYTES, first == null ? 0 : first.remaining());
            this.buffer = BufferUtil.allocate(size);
            if (first != null) {
                BufferUtil.append(buffer, first);
            }
        }

        /** Moves bytes while it can; calls that come back in while it runs fold into it. */
        void pump() {
            synchronized (this) {
                if (running) {
                    again = true;
                    return;
                }
                running = true;
            }
            try {
                boolean more;
                do {
                    step();
                    synchronized (this) {
                        more = again;
                        again = false;
                        if (!more) {
                            running = false;
                        }
                    }
                } while (more);
            } catch (RuntimeException e) {
                synchronized (this) {
                    running = false;
                }
                close();
            }
        }

        private void step() {
            while (!isClosed() && !writing && !ended) {
                if (buffer.hasRemaining()) {
                    bytes += buffer.remaining();
                    try {
                        if (!to.flush(buffer)) {
                            writing = true;
                            to.write(this, buffer);
                        }
                    } catch (IOException e) {
                        close();
                    }
                    continue;
                }
                int read;
                try {
                    BufferUtil.clear(buffer);
                    read = from.getEndPoint().fill(buffer);
                } catch (IOException e) {
                    read = -1;
                }
                if (read < 0) {
                    ended = true;
                    to.shutdownOutput(); // half-close: the other side reads the end, and may still answer
                    wayEnded();
                } else if (read == 0) {
                    from.fillInterested();
                    return;
                }
            }
        }

        @Override
        public void succeeded() {
            synchronized (this) {
                writing = false;
            }
            pump();
        }

        @Override
        public void failed(Throwable failure) {
            close();
        }

        @Override
        public InvocationType getInvocationType() {
            return InvocationType.NON_BLOCKING;
        }
    }
}
