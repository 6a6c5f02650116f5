package io.longshore.jetty.internal.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SocketChannelEndPoint;

/**
 * A direct buffer and a reusable view of it, so a range of its bytes can be written out while
 * the buffer keeps its own position and limit (Jetty's flush mode: the bytes held are
 * {@code [position, limit)}). One range is out at a time. Confined to its worker's thread.
 */
final class IoBuffer {
    private final ByteBuffer buffer;
    private final ByteBuffer view;

    IoBuffer(int capacity) {
        this.buffer = ByteBuffer.allocateDirect(capacity);
        this.view = buffer.duplicate();
        empty();
    }

    ByteBuffer buffer() {
        return buffer;
    }

    int capacity() {
        return buffer.capacity();
    }

    /** Drops every byte held. */
    IoBuffer empty() {
        buffer.clear().flip();
        return this;
    }

    /** The bytes {@code [from, to)} (absolute indexes) as the view. */
    ByteBuffer range(int from, int to) {
        view.clear();
        view.position(from).limit(to);
        return view;
    }

    /** Moves the held bytes to the start of the buffer; returns how far they moved. */
    int compact() {
        int shift = buffer.position();
        if (shift > 0) {
            buffer.compact().flip();
        }
        return shift;
    }

    /**
     * Reads from {@code endPoint} into the room after the bytes held, leaving them where they
     * are (Jetty's own {@code fill} may move them, which would break the indexes the
     * forwarders keep). Returns the count read, 0 when none are there, -1 at the end of the
     * stream or when the connection broke.
     */
    int fillFrom(SocketChannelEndPoint endPoint) {
        int position = buffer.position();
        int limit = buffer.limit();
        if (limit == buffer.capacity()) {
            return 0;
        }
        buffer.limit(buffer.capacity()).position(limit);
        int read;
        try {
            read = endPoint.getChannel().read(buffer);
        } catch (IOException e) {
            read = -1;
        } finally {
            buffer.limit(buffer.position()).position(position);
        }
        if (read > 0) {
            endPoint.notIdle();
        }
        return read;
    }

    /**
     * Like {@link #fillFrom} for an end point that is not a plain socket (the decrypting end of
     * a TLS connection): it fills a view of the room after the held bytes, so they stay where
     * they are.
     */
    int fillFromEndPoint(EndPoint endPoint) {
        int limit = buffer.limit();
        if (limit == buffer.capacity()) {
            return 0;
        }
        view.clear();
        ByteBuffer room = view.position(limit).slice();
        room.limit(0);
        int read;
        try {
            read = endPoint.fill(room);
        } catch (IOException e) {
            read = -1;
        }
        if (read > 0) {
            buffer.limit(limit + read);
        }
        return read;
    }

    /** Whether there is room after the bytes held. */
    boolean hasRoom() {
        return buffer.limit() < buffer.capacity();
    }
}
