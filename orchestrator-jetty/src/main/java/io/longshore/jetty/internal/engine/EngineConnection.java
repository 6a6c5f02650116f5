package io.longshore.jetty.internal.engine;

import java.util.EventListener;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.util.Callback;

/**
 * What the engine's client and replica connections share: their end point, the one read
 * callback they register to hear of arriving bytes, and the parts of Jetty's
 * {@link Connection} the engine does not use. Confined to the worker's thread.
 */
abstract class EngineConnection implements Connection {
    protected final SocketChannelEndPoint endPoint;
    private final Callback reads = new LoopCallback() {
        @Override
        public void succeeded() {
            onFillable();
        }

        @Override
        public void failed(Throwable failure) {
            onReadFailed(failure);
        }
    };

    EngineConnection(SocketChannelEndPoint endPoint) {
        this.endPoint = endPoint;
    }

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

    @Override
    public void close() {
        endPoint.close();
    }

    @Override
    public SocketChannelEndPoint getEndPoint() {
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
