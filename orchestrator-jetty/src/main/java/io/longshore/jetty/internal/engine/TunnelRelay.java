package io.longshore.jetty.internal.engine;

import io.longshore.jetty.internal.policy.HalfClosedTunnels;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.Callback;

/**
 * What a {@code 101 Switching Protocols} makes of a client connection and the replica
 * connection that answered it: one byte tunnel, each way relaying what one side sends to the
 * other until both have finished. A side that ends its stream (half-close) has the other side's
 * output shut after its last bytes, and the other way goes on; when both ways have ended, a
 * write fails, either connection closes or the tunnel stays silent for its idle timeout (after
 * a half-close, for the shorter half-closed timeout, as HAProxy's {@code timeout client-fin}),
 * both connections close and the owner hears of it once. Each way holds a buffer only while bytes
 * are on their way, and reads no more than the other side has taken. Confined to the worker's
 * thread.
 */
final class TunnelRelay {
    /** Hears of the tunnel's end. */
    interface Owner {
        /** Both connections closed; {@code toClient} and {@code toReplica} bytes went through. */
        void tunnelClosed(long toClient, long toReplica);
    }

    private final ProxyWorker worker;
    private final DownstreamConnection client;
    private final UpstreamConnection replica;
    private final Owner owner;
    private final Way toReplica;
    private final Way toClient;
    private boolean closed;
    private long finTimeoutMillis;

    TunnelRelay(ProxyWorker worker, DownstreamConnection client, UpstreamConnection replica, Owner owner) {
        this.worker = worker;
        this.client = client;
        this.replica = replica;
        this.owner = owner;
        this.toReplica = new Way(client, replica.getEndPoint());
        this.toClient = new Way(replica, client.getEndPoint());
    }

    /**
     * Copies what goes first: {@code head} and {@code replicaBytes} (the switch's answer and what
     * the replica sent after it) to the client, {@code clientBytes} (what the client sent after
     * its request) to the replica. Their buffers may be reused once this returns.
     */
    void load(ByteBuffer head, ByteBuffer replicaBytes, ByteBuffer clientBytes) {
        toClient.preload(head, replicaBytes);
        toReplica.preload(clientBytes, null);
    }

    /**
     * Starts relaying, what was loaded first; each connection may stay silent for
     * {@code idleTimeoutMillis}, and once either side has ended its stream, for the shorter of
     * that and {@code finTimeoutMillis}: a side that half-closed and a peer that never answers
     * hold no tunnel open for long.
     */
    void start(long idleTimeoutMillis, long finTimeoutMillis) {
        this.finTimeoutMillis = Math.min(idleTimeoutMillis, finTimeoutMillis);
        client.getEndPoint().setIdleTimeout(idleTimeoutMillis);
        replica.getEndPoint().setIdleTimeout(idleTimeoutMillis);
        toClient.pump();
        toReplica.pump();
    }

    /** The client's connection has bytes (or its end). */
    void clientReadable() {
        toReplica.pump();
    }

    /** The replica's connection has bytes (or its end). */
    void replicaReadable() {
        toClient.pump();
    }

    /** Either connection was silent for the tunnel's idle timeout. */
    void timedOut() {
        close();
    }

    /** Either connection closed or broke. */
    void connectionClosed() {
        close();
    }

    boolean isClosed() {
        return closed;
    }

    /** Closes both connections (once) and tells the owner. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        toReplica.release();
        toClient.release();
        client.close();
        replica.close();
        owner.tunnelClosed(toClient.bytes, toReplica.bytes);
    }

    private void wayEnded() {
        if (toReplica.ended && toClient.ended) {
            close();
            return;
        }
        HalfClosedTunnels.timeOutFromNow(client.getEndPoint(), finTimeoutMillis);
        HalfClosedTunnels.timeOutFromNow(replica.getEndPoint(), finTimeoutMillis);
    }

    /** One direction: reads from one connection, writes to the other's end point. */
    private final class Way extends Pump {
        private final EngineConnection from;
        private final EndPoint to;
        private final Callback written = new LoopCallback() {
            @Override
            public void succeeded() {
                writing = false;
                try {
                    pump();
                } catch (RuntimeException e) {
                    from.fault(e); // the tunnel closes (EngineConnection.afterFault)
                }
            }

            @Override
            public void failed(Throwable failure) {
                writing = false;
                close();
            }
        };
        private IoBuffer buffer;
        private boolean writing;
        /**
         * The last read left room in the buffer, so the socket had nothing more: once those bytes
         * are sent the way waits for the next ones instead of reading again just to hear "none"
         * (one read per message rather than two, as HAProxy does).
         */
        private boolean drained;
        private boolean endOfStream;
        private boolean ended;
        private long bytes;

        Way(EngineConnection from, EndPoint to) {
            this.from = from;
            this.to = to;
        }

        void preload(ByteBuffer first, ByteBuffer second) {
            int size = (first == null ? 0 : first.remaining()) + (second == null ? 0 : second.remaining());
            if (size == 0) {
                return;
            }
            buffer = worker.buffers().take(size);
            ByteBuffer b = buffer.buffer().clear();
            if (first != null) {
                b.put(first);
            }
            if (second != null) {
                b.put(second);
            }
            b.flip();
        }

        @Override
        boolean step() {
            if (closed || writing || ended) {
                return false;
            }
            if (buffer != null && buffer.buffer().hasRemaining()) {
                return send();
            }
            if (endOfStream) {
                to.shutdownOutput(); // half-close: the other side reads the end, and may still answer
                ended = true;
                wayEnded();
                return false;
            }
            if (drained) {
                drained = false;
                return waitForInput();
            }
            if (buffer == null) {
                buffer = worker.buffers().take(BufferCache.SMALL);
            }
            int read = from.readInto(buffer.empty());
            if (read < 0) {
                endOfStream = true;
                return true;
            }
            if (read > 0) {
                drained = buffer.hasRoom();
                return true;
            }
            return waitForInput();
        }

        /** Nothing to read now: an idle tunnel holds no buffer, and the way waits for bytes. */
        private boolean waitForInput() {
            worker.buffers().give(buffer);
            buffer = null;
            from.wantInput();
            return false;
        }

        private boolean send() {
            ByteBuffer data = buffer.buffer();
            bytes += data.remaining();
            try {
                if (to.flush(data)) {
                    return true;
                }
            } catch (IOException e) {
                close();
                return false;
            }
            writing = true;
            to.write(written, data);
            return false;
        }

        void release() {
            if (!writing) {
                worker.buffers().give(buffer);
            } // else the end point still writes from it: it is left to the collector
            buffer = null;
        }
    }
}
