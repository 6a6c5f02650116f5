package io.longshore.jetty.internal.embedded;

import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Callback;

/**
 * Reads and drops the rest of a request body the gateway refused (413), up to a byte budget,
 * before the exchange completes. Closing a connection while the client is still sending makes
 * the kernel answer with a reset that can destroy the 413 in the client's receive buffer (the
 * problem nginx's lingering close solves); reading the rest first lets the client see the
 * answer. A body larger than the budget still gets the connection closed. One per refusal;
 * runs on Jetty's demand callbacks, never blocks.
 */
final class BodyDiscarder implements Runnable {
    /** The most bytes read and dropped after a refusal. */
    static final long MAX_DISCARDED_BYTES = 4L << 20;

    private final Request request;
    private final Callback done;
    private long budget = MAX_DISCARDED_BYTES;

    private BodyDiscarder(Request request, Callback done) {
        this.request = request;
        this.done = done;
    }

    /** Drops the rest of {@code request}'s body, then completes {@code done} (never failed). */
    static void discardRest(Request request, Callback done) {
        new BodyDiscarder(request, done).run();
    }

    @Override
    public void run() {
        while (true) {
            Content.Chunk chunk = request.read();
            if (chunk == null) {
                request.demand(this);
                return;
            }
            boolean end = chunk.isLast() || Content.Chunk.isFailure(chunk);
            budget -= chunk.remaining();
            chunk.release();
            if (end || budget <= 0) {
                done.succeeded();
                return;
            }
        }
    }
}
