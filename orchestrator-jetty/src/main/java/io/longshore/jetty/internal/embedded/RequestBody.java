package io.longshore.jetty.internal.embedded;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.Trailers;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * A client's request body as the body of the request to a replica: read from the host server's
 * request as the replica takes it, counted against the size limit, and held on the side while
 * it fits the request buffer, so a retry can send it again from its first byte (replayable) as
 * the standalone proxy does; a larger body gives that up. A failure reading the client's body
 * is handed on as a {@link Failures.ClientBodyException}. One per exchange; one attempt reads
 * it at a time.
 */
final class RequestBody implements org.eclipse.jetty.client.Request.Content {
    private final Request request;
    private final long maxBytes;
    private final int holdLimit;
    private byte[] held = new byte[0];
    private int heldLength;
    private int replayed;
    private long total;
    private boolean replayable = true;
    private volatile boolean sourceDone;
    /** A chunk already read from the client to learn whether there is a body at all; read first. */
    private Content.Chunk pending;
    /** Why the client's stream ended without Jetty saying so ({@link #clientReset}), or null. */
    private volatile Throwable reset;
    /** The trailer fields the client's body ended with, once read; null before that or without any. */
    private volatile HttpFields trailers;
    /** The reader's callback while it waits for the client's next bytes. */
    private final AtomicReference<Runnable> waiting = new AtomicReference<>();
    /**
     * Whether what the client made readable is still to be read, or was a failure: from the
     * reader's wake-up until it reads bytes, the request still waits on its client (its idle
     * timeout may be what woke the reader, and the replica is not to blame for that).
     */
    private volatile boolean clientTurn;
    /**
     * Whether a demand on the client's request is outstanding. There is at most one, whichever
     * attempt made it: an attempt given up on (a replica that answered before the body ended)
     * leaves its demand behind, and Jetty takes no second one while it is pending; when it fires
     * it wakes the reader waiting then, the retry's.
     */
    private final AtomicBoolean demanding = new AtomicBoolean();

    /**
     * @param maxBytes  the largest body forwarded
     * @param holdLimit the most body bytes held for a retry
     */
    RequestBody(Request request, long maxBytes, int holdLimit) {
        this.request = request;
        this.maxBytes = maxBytes;
        this.holdLimit = holdLimit;
    }

    /**
     * Whether {@code request} has a body. An HTTP/1 request says so in its head (a length or a
     * transfer coding); an HTTP/2 stream need not (RFC 9113 8.1: DATA frames up to END_STREAM),
     * so when it gives no length the first chunk is read to tell, and kept for the body.
     */
    boolean probe() {
        if (EmbeddedProxy.hasBody(request)) {
            return true;
        }
        if (request.getLength() == 0
                || request.getConnectionMetaData().getHttpVersion().getVersion() < HttpVersion.HTTP_2.getVersion()) {
            return false;
        }
        Content.Chunk first = request.read();
        if (first != null && first.isLast() && !first.hasRemaining() && !Content.Chunk.isFailure(first)) {
            first.release();
            sourceDone = true;
            return false;
        }
        pending = first;
        return true;
    }

    /** A new attempt reads the body from its first byte again (only while {@link #isReplayable}). */
    void restart() {
        replayed = 0;
        waiting.set(null); // an earlier attempt's reader is never woken to read this one's bytes
        clientTurn = false;
    }

    /** Whether an attempt could send the whole body again: nothing of it was read, or all of it is held. */
    boolean isReplayable() {
        return replayable;
    }

    /** Whether the body's last byte was read from the client. */
    boolean isComplete() {
        return sourceDone;
    }

    /**
     * Whether its reader waits for the client's next bytes (the replica has all the client sent),
     * or has been woken to read them and not yet read bytes, or read the client's failure.
     */
    boolean waitsForClient() {
        return waiting.get() != null || clientTurn;
    }

    @Override
    public Content.Chunk read() {
        if (replayed < heldLength) {
            ByteBuffer again = ByteBuffer.wrap(held, replayed, heldLength - replayed).slice();
            replayed = heldLength;
            return Content.Chunk.from(again, sourceDone);
        }
        if (sourceDone) {
            return Content.Chunk.EOF;
        }
        if (reset != null && pending == null) {
            clientTurn = true;
            return Content.Chunk.from(new Failures.ClientBodyException(reset), true);
        }
        Content.Chunk chunk = pending != null ? pending : request.read();
        pending = null;
        if (chunk == null) {
            return null;
        }
        if (Content.Chunk.isFailure(chunk)) {
            clientTurn = true; // the request fails on its client's account, whatever the replica does meanwhile
            return Content.Chunk.from(new Failures.ClientBodyException(chunk.getFailure()), true);
        }
        clientTurn = false;
        if (chunk.hasRemaining()) {
            total += chunk.remaining();
            if (total > maxBytes) {
                chunk.release();
                replayable = false;
                return Content.Chunk.from(new Failures.RequestBodyTooLargeException(maxBytes), true);
            }
            hold(chunk.getByteBuffer());
        }
        if (chunk.isLast() && request.getLength() >= 0 && total != request.getLength()) {
            // an HTTP/2 stream can end short of its content-length with trailers, which Jetty lets
            // through; the replica would wait for the rest
            chunk.release();
            replayable = false;
            return Content.Chunk.from(new Failures.ClientBodyException(new HttpException.RuntimeException(
                    HttpStatus.BAD_REQUEST_400, "body of " + total + " bytes, content-length " + request.getLength())),
                    true);
        }
        if (chunk instanceof Trailers last && last.getTrailers() != null) {
            HttpFields.Mutable fields = HttpFields.build();
            ForwardedHeaders.copyResponse(last.getTrailers(), fields); // the same hop-by-hop rule both ways
            trailers = fields.asImmutable();
        }
        sourceDone = chunk.isLast();
        return chunk;
    }

    private void hold(ByteBuffer bytes) {
        if (!replayable) {
            return;
        }
        int length = bytes.remaining();
        if (heldLength + length > holdLimit) {
            replayable = false;
            held = new byte[0];
            heldLength = 0;
            replayed = 0;
            return;
        }
        if (heldLength + length > held.length) {
            held = Arrays.copyOf(held, Math.min(holdLimit, Math.max(2 * held.length, heldLength + length)));
        }
        bytes.duplicate().get(held, heldLength, length);
        heldLength += length;
        replayed = heldLength;
    }

    @Override
    public void demand(Runnable demandCallback) {
        if (replayed < heldLength || sourceDone || pending != null || reset != null) {
            demandCallback.run();
            return;
        }
        waiting.set(demandCallback);
        if (demanding.compareAndSet(false, true)) {
            request.demand(this::clientReadable);
        }
        if (reset != null) {
            wake(demandCallback);
        }
    }

    /** The client's next bytes (or its body's end or failure) can be read: wakes the reader waiting now. */
    private void clientReadable() {
        demanding.set(false);
        Runnable reader = waiting.get();
        if (reader != null) {
            wake(reader);
        }
    }

    /**
     * The client's stream ended in a way the host server does not report to the request (see
     * {@link StreamResets}): the rest of the body fails with {@code failure}, and a reader waiting
     * for it is woken to read that.
     */
    void clientReset(Throwable failure) {
        reset = failure;
        Runnable reader = waiting.get();
        if (reader != null) {
            wake(reader);
        }
    }

    /** Runs the waiting reader's callback, once, whoever wakes it first. */
    private void wake(Runnable demandCallback) {
        clientTurn = true; // before the reader stops waiting: no moment in between looks like the replica's turn
        if (waiting.compareAndSet(demandCallback, null)) {
            demandCallback.run();
        }
    }

    /**
     * The attempt gave up on this body. The client's body is left alone: a retry may still send
     * it, and the host server discards what is left once the exchange completes.
     */
    @Override
    public void fail(Throwable failure) {
        waiting.set(null); // its reader is gone; the client's body is left alone
    }

    /** The trailer fields the replica gets after the body ({@code null}: none), asked for once the body has ended. */
    HttpFields trailers() {
        HttpFields fields = trailers;
        return fields == null || fields.size() == 0 ? null : fields;
    }

    @Override
    public boolean rewind() {
        return false;
    }

    @Override
    public long getLength() {
        return request.getLength();
    }

    @Override
    public String getContentType() {
        return request.getHeaders().get(HttpHeader.CONTENT_TYPE);
    }
}
