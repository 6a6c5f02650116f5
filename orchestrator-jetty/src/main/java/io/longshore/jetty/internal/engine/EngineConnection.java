package io.longshore.jetty.internal.engine;

import java.util.EventListener;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the engine's client and replica connections share: their end point, the one read
 * callback they register to hear of arriving bytes, idle timeouts brought onto the worker's
 * thread, and the parts of Jetty's {@link Connection} the engine does not use. Confined to the
 * worker's thread, but for the idle timeout, which Jetty's scheduler reports.
 */
abstract class EngineConnection implements Connection {
    private static final Logger LOG = LoggerFactory.getLogger(EngineConnection.class);
    protected final EndPoint endPoint;
    /** The end point as a plain socket, read straight from its channel; {@code null} behind TLS. */
    private final SocketChannelEndPoint socket;
    private final Executor worker;
    private final LongSupplier nanoClock;
    /** When the generation began; written before the generation changes, so whoever sees a generation sees its start. */
    private volatile long generationNanos;
    /** Changes whenever what the connection waits for changes, so a late timeout can tell it is stale. */
    private volatile int generation;
    private final Callback reads = new LoopCallback() {
        @Override
        public void succeeded() {
            try {
                onFillable();
            } catch (RuntimeException e) {
                fault(e);
            }
        }

        @Override
        public void failed(Throwable failure) {
            try {
                onReadFailed(failure);
            } catch (RuntimeException e) {
                fault(e);
            }
        }
    };

    EngineConnection(EndPoint endPoint, Executor worker) {
        this(endPoint, worker, System::nanoTime);
    }

    /** With the clock that times the generations (a test's). */
    EngineConnection(EndPoint endPoint, Executor worker, LongSupplier nanoClock) {
        this.endPoint = endPoint;
        this.socket = endPoint instanceof SocketChannelEndPoint plain ? plain : null;
        this.worker = worker;
        this.nanoClock = nanoClock;
        this.generationNanos = nanoClock.getAsLong();
    }

    /** What the connection waits for changed (a new exchange, back to idle). */
    final void nextGeneration() {
        generationNanos = nanoClock.getAsLong();
        generation++;
    }

    /** The connection was silent for its idle timeout; runs on the worker's thread. */
    abstract void timedOut();

    /**
     * Jetty's idle check fired (on its scheduler's thread): handled on the worker's thread,
     * unless what the connection waited for has changed meanwhile. The end point is never
     * closed by Jetty for it.
     *
     * <p>Jetty reads the last activity's time before it calls here, so a connection the worker
     * took up in between (a pooled connection handed to a request just as its idle timeout ran
     * out) would be expired in its new generation, the request failing as timed out before its
     * replica could answer. A generation younger than half the idle timeout cannot have been
     * silent for all of it: that expiry is stale and ignored, and Jetty checks again one idle
     * timeout later. A real expiry comes the whole timeout after the generation's last activity,
     * which is no earlier than its start, or (for a connection going idle) a moment before it.
     */
    @Override
    public final boolean onIdleExpired(TimeoutException timeout) {
        int seen = generation;
        long age = nanoClock.getAsLong() - generationNanos;
        if (age < TimeUnit.MILLISECONDS.toNanos(endPoint.getIdleTimeout()) / 2) {
            return false;
        }
        worker.execute(() -> {
            if (seen == generation && endPoint.isOpen()) {
                try {
                    timedOut();
                } catch (RuntimeException e) {
                    fault(e);
                }
            }
        });
        return false;
    }

    /**
     * The gateway's own code threw while it handled one of this connection's events (a parser, a
     * head writer or a pump: a defect, not the peer's doing). What the connection was doing is in
     * an unknown state, so it ends as a whole ({@link #afterFault}): its exchange fails with 502
     * when nothing of the response went out yet, its replica connection is closed rather than
     * pooled. The event loop goes on; without this the exception would reach Jetty's selector,
     * which logs it and leaves the exchange, its admission and its replica's lease held for good.
     */
    final void fault(RuntimeException fault) {
        LOG.warn("the gateway failed while handling {}; ending what it was doing", this, fault);
        try {
            afterFault();
        } catch (RuntimeException again) {
            LOG.warn("ending {} after a fault failed too; closing it", this, again);
            close();
        }
    }

    /** Ends what the connection was doing after a {@link #fault}. */
    abstract void afterFault();

    /** Bytes arrived (or the end of the stream). */
    abstract void onFillable();

    /** Waiting for bytes failed (the connection closed). */
    abstract void onReadFailed(Throwable failure);

    /** Asks for {@link #onFillable()} once bytes arrive (no-op when already asked). */
    final void wantInput() {
        if (endPoint.isOpen()) {
            endPoint.tryFillInterested(reads);
        }
    }

    /** Reads into {@code buffer} after its held bytes ({@link IoBuffer#fillFrom}); -1 at the end of the stream. */
    final int readInto(IoBuffer buffer) {
        return socket != null ? buffer.fillFrom(socket) : buffer.fillFromEndPoint(endPoint);
    }

    @Override
    public void close() {
        endPoint.close();
    }

    @Override
    public EndPoint getEndPoint() {
        return endPoint;
    }

    @Override
    public void addEventListener(EventListener listener) {
    }

    @Override
    public void removeEventListener(EventListener listener) {
    }

    @Override
    public long getMessagesIn() {
        return -1;
    }

    @Override
    public long getMessagesOut() {
        return -1;
    }

    @Override
    public long getBytesIn() {
        return -1;
    }

    @Override
    public long getBytesOut() {
        return -1;
    }

    @Override
    public long getCreatedTimeStamp() {
        return endPoint.getCreatedTimeStamp();
    }
}
