package io.longshore.jetty.internal.embedded;

import org.eclipse.jetty.io.Content;

/**
 * A replica's body as an {@link Attempt}'s copy to the client reads it: {@code lastByteRead}
 * runs when its last byte is read (its length reached, or its last chunk), before that byte is
 * written to the client, so the lease is reported then, as the standalone engine does. When the
 * chunk that completes the length is followed at once by the body's end, the two are read as
 * one last chunk, so the client's response ends with that write: over HTTP/2 its final
 * {@code DATA} frame carries {@code END_STREAM} and goes out with the {@code HEADERS} in one
 * write, instead of an empty frame and a write of its own. It also tells whether the copy is
 * writing a chunk it read to the client ({@link #isWriting}). Read by one copy, never concurrently.
 */
final class ReportingBody implements Content.Source {
    private final Content.Source body;
    private final long length;
    private final Runnable lastByteRead;
    private long read;
    /** A chunk read ahead after the length was reached that was not the end; returned next. */
    private Content.Chunk ahead;
    /** Whether the copy holds a chunk it read and has not asked for the next: it writes that one to the client. */
    private volatile boolean writing;

    /**
     * @param length       the body's {@code Content-Length}, -1 when it has none
     * @param lastByteRead runs when the last byte is read (perhaps more than once: it reports once)
     */
    ReportingBody(Content.Source body, long length, Runnable lastByteRead) {
        this.body = body;
        this.length = length;
        this.lastByteRead = lastByteRead;
    }

    @Override
    public Content.Chunk read() {
        Content.Chunk chunk = next();
        writing = chunk != null && !Content.Chunk.isFailure(chunk);
        return chunk;
    }

    /**
     * Whether the copy is writing a chunk to the client: the replica is not read meanwhile, so its
     * silence is the client's (one slow to read).
     */
    boolean isWriting() {
        return writing;
    }

    private Content.Chunk next() {
        if (ahead != null) {
            Content.Chunk next = ahead;
            ahead = null;
            return next;
        }
        Content.Chunk chunk = body.read();
        if (chunk == null || Content.Chunk.isFailure(chunk)) {
            return chunk;
        }
        read += chunk.remaining();
        if (chunk.isLast() || length >= 0 && read >= length) {
            lastByteRead.run();
        }
        if (chunk.isLast() || length < 0 || read < length) {
            return chunk;
        }
        Content.Chunk next = body.read();
        if (next == null) {
            return chunk;
        }
        if (next.isLast() && !next.hasRemaining() && !Content.Chunk.isFailure(next)
                && chunk.hasRemaining() && chunk.canRetain()) {
            next.release();
            return Content.Chunk.asChunk(chunk.getByteBuffer(), true, chunk); // releasing it releases chunk
        }
        ahead = next;
        return chunk;
    }

    @Override
    public void demand(Runnable demandCallback) {
        body.demand(demandCallback);
    }

    @Override
    public void fail(Throwable failure) {
        body.fail(failure);
    }

    @Override
    public long getLength() {
        return body.getLength();
    }
}
