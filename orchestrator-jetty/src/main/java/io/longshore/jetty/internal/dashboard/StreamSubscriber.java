package io.longshore.jetty.internal.dashboard;

import java.nio.ByteBuffer;
import java.util.function.Consumer;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * One open {@code GET /stream} response. At most one write is in flight: a frame that comes
 * while the previous one is still being written is skipped (the next frame supersedes it), so
 * a slow client costs no memory. A failed write ends the subscription. Thread-safe.
 */
final class StreamSubscriber {
    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);

    private final Response response;
    private final Callback callback;
    private final Consumer<StreamSubscriber> onGone;
    private boolean writing;
    private boolean ending;
    private boolean ended;

    StreamSubscriber(Response response, Callback callback, Consumer<StreamSubscriber> onGone) {
        this.response = response;
        this.callback = callback;
        this.onGone = onGone;
    }

    /** Writes {@code frame} unless a write is still in flight; {@code then} runs once it is out. */
    void offer(byte[] frame, Runnable then) {
        synchronized (this) {
            if (writing || ending || ended) {
                return;
            }
            writing = true;
        }
        response.write(false, ByteBuffer.wrap(frame), Callback.from(() -> {
            written();
            then.run();
        }, this::failed));
    }

    /** Writes {@code frame}, skipping it when busy. */
    void offer(byte[] frame) {
        offer(frame, () -> { });
    }

    /** Ends the response (after the write in flight, if any). */
    void end() {
        synchronized (this) {
            if (ended || ending) {
                return;
            }
            ending = true;
            if (writing) {
                return;
            }
        }
        finish();
    }

    private void written() {
        synchronized (this) {
            writing = false;
            if (!ending) {
                return;
            }
        }
        finish();
    }

    private void finish() {
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
        }
        response.write(true, NOTHING.duplicate(), callback);
        onGone.accept(this);
    }

    private void failed(Throwable failure) {
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
            writing = false;
        }
        callback.failed(failure);
        onGone.accept(this);
    }
}
