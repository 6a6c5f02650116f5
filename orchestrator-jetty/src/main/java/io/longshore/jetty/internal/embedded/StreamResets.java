package io.longshore.jetty.internal.embedded;

import org.eclipse.jetty.http2.HTTP2Connection;
import org.eclipse.jetty.http2.api.Stream;
import org.eclipse.jetty.server.Request;

/**
 * Tells an exchange that its HTTP/2 stream was reset by Jetty itself. Jetty's HTTP/2 server
 * resets a stream on its own when the client breaks the protocol on it (DATA beyond or short of
 * its {@code content-length}, DATA after {@code END_STREAM}) and then tells the request nothing:
 * no failure listener runs, and a read waiting for the rest of the body is never woken (Jetty
 * 12.1). An exchange relaying that body to a replica would hold the replica's connection until
 * the response timeout. So an exchange leaves a hook on its stream ({@link #watch}), and the
 * gateway's HTTP/2 front end calls {@link #closed} for every stream that closes; a reset one runs
 * its hook once. A stream reset by the client runs it too, beside Jetty's own failure report.
 * Stateless.
 */
public final class StreamResets {
    private static final String HOOK = StreamResets.class.getName();

    private StreamResets() {
    }

    /**
     * Runs {@code onReset} once if the HTTP/2 stream {@code request} arrived on is reset, now or
     * later; does nothing for a request that did not come over HTTP/2.
     */
    static void watch(Request request, Runnable onReset) {
        if (!(request.getConnectionMetaData().getConnection() instanceof HTTP2Connection connection)) {
            return;
        }
        Stream stream;
        try {
            stream = connection.getSession().getStream(Integer.parseInt(request.getId()));
        } catch (NumberFormatException e) {
            return; // not a stream id: not a request Jetty's HTTP/2 server made
        }
        if (stream == null) { // gone before its request was handled: only a reset removes an unanswered stream
            onReset.run();
            return;
        }
        stream.setAttribute(HOOK, onReset);
        if (stream.isReset()) { // reset while the hook was being left: closed() may have missed it
            closed(stream);
        }
    }

    /** The HTTP/2 front end's report that {@code stream} closed: runs its hook if it was reset. */
    public static void closed(Stream stream) {
        if (stream.isReset() && stream.removeAttribute(HOOK) instanceof Runnable onReset) {
            onReset.run();
        }
    }
}
