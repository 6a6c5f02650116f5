package io.longshore.jetty.internal.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.util.Callback;

/**
 * One keep-alive connection to a replica, owned by its worker's {@link UpstreamPool}. While an
 * attempt holds it, its events go to that attempt; while idle, it stays read-interested so a
 * replica closing it is noticed and it leaves the pool. Its idle timeout is the response
 * timeout. Confined to the worker's thread (timeouts hop onto it).
 */
final class UpstreamConnection extends EngineConnection {
    private final UpstreamPool pool;
    private final Callback writes = new LoopCallback() {
        @Override
        public void succeeded() {
            try {
                if (attempt != null) {
                    attempt.upstreamWritten();
                }
            } catch (RuntimeException e) {
                fault(e);
            }
        }

        @Override
        public void failed(Throwable failure) {
            try {
                if (attempt != null) {
                    attempt.upstreamWriteFailed(failure);
                } else {
                    close();
                }
            } catch (RuntimeException e) {
                fault(e);
            }
        }
    };
    private ReplicaAttempt attempt;
    private TunnelRelay tunnel;
    private IoBuffer input;
    private boolean borrowed;
    private boolean reused;
    private int served;

    UpstreamConnection(UpstreamPool pool, SocketChannelEndPoint endPoint) {
        super(endPoint, pool.worker());
        this.pool = pool;
    }

    UpstreamPool pool() {
        return pool;
    }

    /** Hands the connection to {@code next} (or back to the pool with {@code null}). */
    void attach(ReplicaAttempt next) {
        if (next != null) {
            reused = served++ > 0;
        }
        attempt = next;
        nextGeneration();
        if (next == null) {
            dropInput();
            wantInput();
        }
    }

    /** Whether it served a request before the current one (a stale keep-alive connection may fail first). */
    boolean wasReused() {
        return reused;
    }

    boolean isOpen() {
        return endPoint.isOpen();
    }

    /**
     * The replica's bytes not yet relayed. Reads go into the worker's shared buffer when it is
     * free, so the bytes of all replicas pass through memory that stays in cache; bytes that
     * must wait (a write to the client is pending, a head is incomplete) move to a buffer of
     * the connection's own ({@link #settle}, {@link #keepOwnCopy}).
     */
    IoBuffer input() {
        if (input == null) {
            input = pool.worker().borrowShared(this);
            borrowed = input != null;
            if (input == null) {
                input = pool.worker().buffers().take(BufferCache.LARGE);
            }
        }
        return input;
    }

    /** Whether bytes from the replica wait to be relayed. */
    boolean hasHeldBytes() {
        return input != null && input.buffer().hasRemaining();
    }

    /** Reads into {@link #input()} after its held bytes (moving them down first when full); -1 at the end. */
    int fill() {
        IoBuffer in = input();
        if (!in.buffer().hasRemaining()) {
            in.empty();
        } else if (!in.hasRoom()) {
            in.compact();
        }
        return readInto(in);
    }

    /**
     * Moves the held bytes from {@code from} on out of the shared buffer into one of the
     * connection's own, at its start; returns how far they moved, or -1 when they are not in
     * the shared buffer (and stay where they are).
     */
    int keepOwnCopy(int from) {
        if (!borrowed) {
            return -1;
        }
        ByteBuffer shared = input.buffer();
        IoBuffer own = pool.worker().buffers().take(BufferCache.LARGE);
        int length = shared.limit() - from;
        own.buffer().limit(length).put(0, shared, from, length);
        pool.worker().returnShared(this);
        input = own;
        borrowed = false;
        return from;
    }

    /** The connection waits now: the shared buffer goes back, with any held bytes copied out. */
    void settle() {
        if (!borrowed) {
            return;
        }
        if (input.buffer().hasRemaining()) {
            keepOwnCopy(input.buffer().position());
        } else {
            pool.worker().returnShared(this);
            input = null;
            borrowed = false;
        }
    }

    private void dropInput() {
        if (borrowed) {
            pool.worker().returnShared(this);
        } else {
            pool.worker().buffers().give(input);
        }
        input = null;
        borrowed = false;
    }

    /** Writes what it can without waiting; true when every buffer is empty. */
    boolean flush(ByteBuffer... buffers) throws IOException {
        return endPoint.flush(buffers);
    }

    /** Writes the rest in the background; {@link ReplicaAttempt#upstreamWritten()} follows. */
    void write(ByteBuffer... buffers) {
        endPoint.write(writes, buffers);
    }

    /**
     * The connection becomes one end of {@code through} and leaves its pool for good (it no
     * longer counts against the pool's size). Its held bytes must have been copied already.
     */
    void becomeTunnel(TunnelRelay through) {
        attempt = null;
        tunnel = through;
        nextGeneration();
        dropInput();
        pool.detach(this);
    }

    @Override
    void onFillable() {
        if (tunnel != null) {
            tunnel.replicaReadable();
            return;
        }
        if (attempt != null) {
            attempt.upstreamReadable();
            return;
        }
        try {
            int read = endPoint.fill(pool.worker().scratch());
            if (read != 0) {
                close(); // closed by the replica, or bytes nobody asked for
                return;
            }
            wantInput();
        } catch (IOException e) {
            close();
        }
    }

    @Override
    void onReadFailed(Throwable failure) {
        if (tunnel != null) {
            tunnel.connectionClosed();
        } else if (attempt != null) {
            attempt.upstreamFailed(failure);
        } else {
            close();
        }
    }

    @Override
    public void onOpen() {
        endPoint.setIdleTimeout(pool.worker().context().settings.responseTimeout().toMillis());
    }

    @Override
    public void onClose(Throwable cause) {
        if (tunnel != null) {
            tunnel.connectionClosed();
            return;
        }
        pool.closed(this);
        ReplicaAttempt holder = attempt;
        if (holder != null) {
            holder.upstreamFailed(cause != null ? cause : new ClosedChannelException());
        }
        dropInput();
    }

    @Override
    void afterFault() {
        if (tunnel != null) {
            tunnel.close();
        } else if (attempt != null) {
            attempt.fault();
        } else {
            close();
        }
    }

    /** The replica was silent for the response timeout. */
    @Override
    void timedOut() {
        if (tunnel != null) {
            tunnel.timedOut();
        } else if (attempt != null) {
            attempt.upstreamTimedOut();
        } else {
            close();
        }
    }

    @Override
    public String toString() {
        return "upstream " + pool.endpoint() + (attempt == null ? " idle" : " busy");
    }
}
