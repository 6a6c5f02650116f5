package io.longshore.jetty.internal.embedded;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ReadPendingException;
import java.nio.channels.WritePendingException;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.Callback;

/**
 * A client's end point whose writes from the replica connections' selector thread wait for the
 * end of that selector's round ({@link ClientWrites}); everything else goes straight to the end
 * point it wraps. Holds one write at most: its writer (a connection's flusher) makes the next
 * only when the last has completed. Thread-safe.
 */
final class HeldWritesEndPoint implements EndPoint {
    private final EndPoint endPoint;
    private final ClientWrites writes;
    private Callback heldCallback;
    private ByteBuffer[] heldBuffers;

    HeldWritesEndPoint(EndPoint endPoint, ClientWrites writes) {
        this.endPoint = endPoint;
        this.writes = writes;
    }

    @Override
    public void write(Callback callback, ByteBuffer... buffers) throws WritePendingException {
        if (!writes.holds()) {
            endPoint.write(callback, buffers);
            return;
        }
        synchronized (this) {
            if (heldCallback != null) {
                throw new WritePendingException();
            }
            heldCallback = callback;
            heldBuffers = buffers;
        }
        writes.hold(this);
    }

    /** Makes the held write, if it was not cancelled. */
    void release() {
        Callback callback;
        ByteBuffer[] buffers;
        synchronized (this) {
            callback = heldCallback;
            buffers = heldBuffers;
            heldCallback = null;
            heldBuffers = null;
        }
        if (callback != null) {
            endPoint.write(callback, buffers);
        }
    }

    @Override
    public Callback cancelWrite(Throwable cause) {
        synchronized (this) {
            if (heldCallback != null) {
                Callback callback = heldCallback;
                heldCallback = null;
                heldBuffers = null;
                return callback;
            }
        }
        return endPoint.cancelWrite(cause);
    }

    @Override
    public boolean flush(ByteBuffer... buffers) throws IOException {
        return endPoint.flush(buffers);
    }

    @Override
    public int fill(ByteBuffer buffer) throws IOException {
        return endPoint.fill(buffer);
    }

    @Override
    public void fillInterested(Callback callback) throws ReadPendingException {
        endPoint.fillInterested(callback);
    }

    @Override
    public boolean tryFillInterested(Callback callback) {
        return endPoint.tryFillInterested(callback);
    }

    @Override
    public boolean isFillInterested() {
        return endPoint.isFillInterested();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return endPoint.getLocalSocketAddress();
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return endPoint.getRemoteSocketAddress();
    }

    @Override
    public boolean isOpen() {
        return endPoint.isOpen();
    }

    @Override
    public long getCreatedTimeStamp() {
        return endPoint.getCreatedTimeStamp();
    }

    @Override
    public void shutdownOutput() {
        endPoint.shutdownOutput();
    }

    @Override
    public boolean isOutputShutdown() {
        return endPoint.isOutputShutdown();
    }

    @Override
    public boolean isInputShutdown() {
        return endPoint.isInputShutdown();
    }

    @Override
    public void close(Throwable cause) {
        endPoint.close(cause);
    }

    @Override
    public Object getTransport() {
        return endPoint.getTransport();
    }

    @Override
    public long getIdleTimeout() {
        return endPoint.getIdleTimeout();
    }

    @Override
    public void setIdleTimeout(long idleTimeout) {
        endPoint.setIdleTimeout(idleTimeout);
    }

    @Override
    public Connection getConnection() {
        return endPoint.getConnection();
    }

    @Override
    public void setConnection(Connection connection) {
        endPoint.setConnection(connection);
    }

    @Override
    public void onOpen() {
        endPoint.onOpen();
    }

    @Override
    public void onClose(Throwable cause) {
        endPoint.onClose(cause);
    }

    @Override
    public void upgrade(Connection connection) {
        endPoint.upgrade(connection);
    }

    @Override
    public SslSessionData getSslSessionData() {
        return endPoint.getSslSessionData();
    }

    @Override
    public boolean isSecure() {
        return endPoint.isSecure();
    }

    @Override
    public String toString() {
        return "held writes of " + endPoint;
    }
}
