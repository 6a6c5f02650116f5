package io.longshore.jetty.internal.engine;

import java.util.ArrayDeque;

/**
 * A worker's free lists of direct buffers in two sizes: small ones for client input and heads,
 * large ones for replica input (a 64 KiB body then moves in one read and one write). Buffers
 * are taken while a connection has bytes in flight and given back when it goes idle, so idle
 * keep-alive connections hold none. Confined to the worker's thread.
 */
final class BufferCache {
    static final int SMALL = 16 * 1024;
    static final int LARGE = 128 * 1024;
    private static final int KEPT_PER_SIZE = 256;

    private final ArrayDeque<IoBuffer> small = new ArrayDeque<>();
    private final ArrayDeque<IoBuffer> large = new ArrayDeque<>();

    /** An empty buffer of at least {@code size} bytes. */
    IoBuffer take(int size) {
        IoBuffer buffer = size <= SMALL ? small.pollLast() : size <= LARGE ? large.pollLast() : null;
        if (buffer == null) {
            buffer = new IoBuffer(size <= SMALL ? SMALL : size <= LARGE ? LARGE : size);
        }
        return buffer.empty();
    }

    /** {@code current} when it holds at least {@code size} bytes; else a larger one, {@code current} given back. */
    IoBuffer atLeast(IoBuffer current, int size) {
        if (current != null && current.capacity() >= size) {
            return current;
        }
        give(current);
        return take(size);
    }

    /** Gives a buffer from {@link #take} back; {@code null} is ignored. */
    void give(IoBuffer buffer) {
        if (buffer == null) {
            return;
        }
        ArrayDeque<IoBuffer> list = buffer.capacity() == SMALL ? small : buffer.capacity() == LARGE ? large : null;
        if (list != null && list.size() < KEPT_PER_SIZE) {
            list.addLast(buffer);
        }
    }
}
