package io.longshore.jetty.internal.engine;

import io.longshore.jetty.internal.tls.TlsTerminator;
import java.io.IOException;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLHandshakeException;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * The first stage of a client of the TLS listener: drives its {@link SSLEngine} through the
 * handshake on the worker's thread, but hands the costly steps (key exchange, signature,
 * certificate choice: milliseconds of CPU each) to the terminator's handshake executor, so the
 * event loop serves its other connections while they run. With the JDK's engines those are the
 * delegated tasks; Conscrypt's compute inside {@code unwrap}, so with them the unwrap that takes
 * the client's hello runs there ({@link TlsTerminator#handshakeStepsOffLoop()}). When the handshake
 * is done the worker upgrades the socket to the client connection proper, with the encrypted
 * bytes that came after the handshake ({@link #onUpgradeFrom}). A handshake must be done within
 * the request-head timeout of the accept. A failure (a bad record, a rejected task, the deadline)
 * is counted, answered with the engine's alert when it has one, and closes this connection only.
 * Confined to the worker's thread, but for the task or the hello's unwrap, which only touch the
 * engine and the input buffer; meanwhile the worker leaves them alone.
 */
final class TlsHandshake extends EngineConnection implements Connection.UpgradeFrom {
    private final ProxyWorker worker;
    private final SocketChannelEndPoint socket;
    private final SSLEngine engine;
    private final TlsTerminator tls;
    private final ByteBufferPool pool;
    /** Whether the unwrap that answers the client's hello runs on the handshake executor (the engine computes in it). */
    private final boolean stepsOffLoop;
    /** Whether the client's hello has been taken and answered; the steps after it are cheap and run on the loop. */
    private boolean helloAnswered;
    /** Encrypted bytes from the client, in flush mode. */
    private RetainableByteBuffer in;
    /** Encrypted bytes to the client, in flush mode. */
    private RetainableByteBuffer out;
    /** Its place among the worker's connections due within the request-head timeout. */
    private final HeadDeadlines.Entry deadline = new HeadDeadlines.Entry(this, this::deadlinePassed);
    private boolean taskRunning;
    private boolean writing;
    private boolean done;
    private boolean began;
    private final Callback written = new LoopCallback() {
        @Override
        public void succeeded() {
            writing = false;
            advance();
        }

        @Override
        public void failed(Throwable failure) {
            writing = false;
            fail(failure);
        }
    };

    TlsHandshake(ProxyWorker worker, SocketChannelEndPoint socket, SSLEngine engine) {
        super(socket, worker);
        this.worker = worker;
        this.socket = socket;
        this.engine = engine;
        this.tls = worker.context().tls;
        this.pool = worker.context().tlsBuffers;
        this.stepsOffLoop = tls.handshakeStepsOffLoop();
    }

    @Override
    public void onOpen() {
        socket.setIdleTimeout(worker.context().clientIdleTimeoutMillis);
        worker.headDeadlines().watch(deadline);
        int size = engine.getSession().getPacketBufferSize();
        in = pool.acquire(size, false);
        out = pool.acquire(size, false);
        try {
            engine.beginHandshake();
        } catch (IOException e) {
            fail(e);
            return;
        }
        advance();
    }

    @Override
    void onFillable() {
        if (done || !socket.isOpen() || taskRunning) {
            return; // a running task or step may be reading the input buffer; advance() asks again after it
        }
        int filled;
        try {
            filled = socket.fill(in.getByteBuffer());
        } catch (IOException e) {
            fail(e);
            return;
        }
        if (filled < 0) {
            if (began) {
                fail(new SSLHandshakeException("the client closed during the handshake"));
            } else {
                close(); // connected and left without a byte: a port probe, not a handshake
            }
            return;
        }
        began |= filled > 0;
        advance();
    }

    @Override
    void onReadFailed(Throwable failure) {
        fail(failure);
    }

    @Override
    void timedOut() {
        fail(new SSLHandshakeException("the client was idle during the handshake"));
    }

    private void deadlinePassed() {
        if (!done && socket.isOpen()) {
            fail(new SSLHandshakeException("the handshake took longer than the request-head timeout"));
        }
    }

    /**
     * Takes the handshake as far as it goes without waiting: for bytes, a write or a task. The
     * records the engine wraps in a row go out in one write, before anything else is done.
     */
    private void advance() {
        try {
            while (!done && !taskRunning && !writing && socket.isOpen()) {
                SSLEngineResult.HandshakeStatus status = engine.getHandshakeStatus();
                if (status != SSLEngineResult.HandshakeStatus.NEED_WRAP && out.hasRemaining()) {
                    flush();
                    continue;
                }
                switch (status) {
                    case NEED_TASK -> offLoop(this::runDelegatedTasks);
                    case NEED_WRAP -> afterWrap(engineWrap());
                    case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                        if (stepsOffLoop && !helloAnswered && in.hasRemaining()) {
                            // the unwrap that takes the client's hello, in which an engine without delegated
                            // tasks computes its answer (key share, certificate choice, signature); the
                            // client's later records, and a second hello after a HelloRetryRequest, are
                            // taken on the loop (in TLS 1.2 its key share: one key agreement there)
                            offLoop(this::engineUnwrap);
                        } else if (!afterUnwrap(engineUnwrap())) {
                            wantInput();
                            return;
                        }
                    }
                    default -> finished();
                }
            }
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    /**
     * Runs {@code step} on the handshake executor, then acts on its outcome back on the worker's
     * thread ({@link #stepDone}); meanwhile the worker leaves the engine and the input buffer alone.
     * A step whose connection closed before its turn came is skipped.
     */
    private void offLoop(OffLoopStep step) {
        taskRunning = true;
        try {
            tls.handshakeTasks().execute(() -> {
                SSLEngineResult result = null;
                Throwable failure = null;
                try {
                    // a connection closed while its step waited in the executor's queue (the
                    // deadline, the client gone; failing always closes) needs no key exchange
                    // and no signature: the loop only lets its buffers go
                    result = socket.isOpen() ? step.run() : null;
                } catch (Throwable t) {
                    failure = t;
                }
                SSLEngineResult unwrapped = result;
                Throwable failed = failure;
                worker.execute(() -> stepDone(unwrapped, failed));
            });
        } catch (RuntimeException rejected) {
            taskRunning = false;
            throw rejected;
        }
    }

    /** A costly handshake step; returns the result of the unwrap it made, or null when it made none. */
    private interface OffLoopStep {
        SSLEngineResult run() throws Exception;
    }

    /** The engine's delegated tasks (the JDK's: key exchange, signature, certificate choice). */
    private SSLEngineResult runDelegatedTasks() {
        for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
            task.run();
        }
        return null;
    }

    private void stepDone(SSLEngineResult unwrapped, Throwable failure) {
        taskRunning = false;
        if (!socket.isOpen()) {
            releaseBuffers(); // closed while the step ran
            return;
        }
        if (failure != null) {
            fail(failure);
            return;
        }
        if (unwrapped != null) {
            try {
                if (!afterUnwrap(unwrapped)) {
                    wantInput();
                    return;
                }
            } catch (IOException | RuntimeException e) {
                fail(e);
                return;
            }
            helloAnswered = unwrapped.bytesConsumed() > 0
                    && unwrapped.getHandshakeStatus() != SSLEngineResult.HandshakeStatus.NEED_UNWRAP;
        }
        advance();
    }

    /** Wraps the engine's next handshake record after those not yet written. */
    private SSLEngineResult engineWrap() throws IOException {
        ByteBuffer buffer = out.getByteBuffer();
        int position = BufferUtil.flipToFill(buffer);
        try {
            return engine.wrap(BufferUtil.EMPTY_BUFFER, buffer);
        } finally {
            BufferUtil.flipToFlush(buffer, position);
        }
    }

    /** Acts on a wrap: writes the records wrapped when the buffer is full. */
    private void afterWrap(SSLEngineResult result) throws IOException {
        ByteBuffer buffer = out.getByteBuffer();
        switch (result.getStatus()) {
            case OK -> { }
            case BUFFER_OVERFLOW -> {
                if (!buffer.hasRemaining()) {
                    throw new SSLHandshakeException("a handshake record larger than " + buffer.capacity() + " bytes");
                }
                flush();
            }
            default -> throw new SSLHandshakeException("the engine closed during the handshake");
        }
    }

    /** Writes what was wrapped: at once, or asynchronously when the socket is full. */
    private void flush() throws IOException {
        ByteBuffer buffer = out.getByteBuffer();
        if (!socket.flush(buffer)) {
            writing = true;
            socket.write(written, buffer);
        }
    }

    /** Unwraps the next record from the client. */
    private SSLEngineResult engineUnwrap() throws IOException {
        RetainableByteBuffer plain = pool.acquire(engine.getSession().getApplicationBufferSize(), false);
        try {
            ByteBuffer app = plain.getByteBuffer();
            int position = BufferUtil.flipToFill(app);
            SSLEngineResult result = engine.unwrap(in.getByteBuffer(), app);
            BufferUtil.flipToFlush(app, position);
            if (app.hasRemaining()) {
                throw new SSLHandshakeException("application data before the handshake was done");
            }
            return result;
        } finally {
            plain.release();
        }
    }

    /** Acts on an unwrap; false when a whole record has not come yet. */
    private boolean afterUnwrap(SSLEngineResult result) throws IOException {
        ByteBuffer buffer = in.getByteBuffer();
        return switch (result.getStatus()) {
            case OK -> result.bytesConsumed() > 0 || result.getHandshakeStatus() != SSLEngineResult.HandshakeStatus.NEED_UNWRAP;
            case BUFFER_UNDERFLOW -> {
                if (BufferUtil.space(buffer) == 0 && buffer.position() == 0) {
                    throw new SSLHandshakeException("a handshake record larger than " + buffer.capacity() + " bytes");
                }
                yield false;
            }
            case CLOSED -> throw new SSLHandshakeException("the client closed the handshake");
            case BUFFER_OVERFLOW -> throw new SSLHandshakeException("unexpected buffer overflow in the handshake");
        };
    }

    /** The handshake is done: the worker makes the client connection on the socket. */
    private void finished() {
        done = true;
        cancelDeadline();
        tls.handshakeSucceeded();
        worker.secured(socket, engine);
    }

    @Override
    void afterFault() {
        if (done) {
            close();
        } else {
            fail(new javax.net.ssl.SSLException("the gateway failed during the handshake"));
        }
    }

    private void fail(Throwable failure) {
        if (done) {
            return;
        }
        done = true;
        cancelDeadline();
        tls.handshakeFailed(failure);
        sendAlert();
        close();
    }

    /** Best effort: the alert the engine has for the failure, written if the socket takes it at once. */
    private void sendAlert() {
        if (out == null || taskRunning || writing) {
            return;
        }
        try {
            engine.closeOutbound();
            ByteBuffer buffer = out.getByteBuffer();
            int position = BufferUtil.flipToFill(buffer);
            try {
                engine.wrap(BufferUtil.EMPTY_BUFFER, buffer);
            } finally {
                BufferUtil.flipToFlush(buffer, position);
            }
            socket.flush(buffer);
        } catch (IOException | RuntimeException ignored) {
            // the connection closes anyway
        }
    }

    private void cancelDeadline() {
        worker.headDeadlines().unwatch(deadline);
    }

    /** The encrypted bytes read after the handshake's last record (the first request, often), for the client connection. */
    @Override
    public ByteBuffer onUpgradeFrom() {
        ByteBuffer left = in == null ? BufferUtil.EMPTY_BUFFER : BufferUtil.copy(in.getByteBuffer());
        releaseBuffers();
        return left == null ? BufferUtil.EMPTY_BUFFER : left;
    }

    private void releaseBuffers() {
        if (in != null) {
            in.release();
            in = null;
        }
        if (out != null) {
            out.release();
            out = null;
        }
    }

    @Override
    public void onClose(Throwable cause) {
        cancelDeadline();
        if (!taskRunning) {
            releaseBuffers(); // a running task may still be read by its completion; the pool does without them then
        }
    }
}
