package io.longshore.jetty.internal.engine;

import io.longshore.jetty.internal.codec.Framing;
import io.longshore.jetty.internal.codec.HeadWriter;
import io.longshore.jetty.internal.codec.RequestHead;
import io.longshore.jetty.internal.policy.GatewayReply;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Sends one request to its replica: the rewritten head, then the body as it arrives from the
 * client, straight out of the client's input buffer, never reading more from the client than
 * the replica has taken. The body stays in that buffer from its first byte for as long as it
 * fits, so an attempt that failed can be made again on another replica (replayable); a body
 * larger than the buffer gives that up the moment it would be overwritten. Confined to the
 * worker's thread.
 */
final class RequestForwarder extends Pump {
    private final ProxyExchange exchange;
    private final DownstreamConnection client;
    private final RequestHead request;
    private final BodyTracker body = BodyTracker.forRequests();
    private final ByteBuffer[] headAndBody = new ByteBuffer[2];
    private final ByteBuffer[] bodyOnly = new ByteBuffer[1];
    private ReplicaAttempt attempt;
    private IoBuffer head;
    private UpstreamConnection upstream;
    private int bodyStart;
    private int sent;
    private boolean headPending;
    private boolean writing;
    private boolean finished;
    private boolean replayable;
    private boolean continueSent;

    RequestForwarder(ProxyExchange exchange, DownstreamConnection client, RequestHead request) {
        this.exchange = exchange;
        this.client = client;
        this.request = request;
    }

    void attempt(ReplicaAttempt replicaSide) {
        this.attempt = replicaSide;
    }

    /** Whether an attempt is sending to its replica. */
    boolean isSending() {
        return upstream != null;
    }

    /** A new request whose head was just consumed from the client's input. */
    void startRequest() {
        bodyStart = client.input().buffer().position();
        sent = bodyStart;
        replayable = true;
        continueSent = false;
        finished = false;
        upstream = null;
    }

    /** Starts an attempt on {@code connection}: from the first body byte again. */
    void startAttempt(UpstreamConnection connection, byte[] hostLine, BufferCache buffers) {
        upstream = connection;
        writing = false;
        finished = false;
        headPending = true;
        sent = bodyStart;
        body.start(request.isChunked() ? Framing.CHUNKED : request.hasBody() ? Framing.FIXED : Framing.NONE,
                request.contentLength(), exchange.maxBodyBytes(), false);
        head = buffers.atLeast(head, HeadWriter.requestSize(request, hostLine, client.clientAddress()));
        ByteBuffer out = head.buffer().clear();
        HeadWriter.writeRequest(request, out, hostLine, client.clientAddress(), client.isSecure());
        out.flip();
    }

    /** The replica stopped taking the request (it may still answer): nothing more goes to it. */
    void abandon() {
        writing = false;
        headPending = false;
        upstream = null;
    }

    /** The attempt ended; nothing more goes to its replica. */
    void stopAttempt() {
        upstream = null;
        writing = false;
    }

    /** Gives back the head buffer (the exchange ended). */
    void release(BufferCache buffers) {
        buffers.give(head);
        head = null;
    }

    /** Whether an attempt could start over from the body's first byte. */
    boolean isReplayable() {
        return replayable;
    }

    /** Whether the whole request was taken from the client and handed to the replica's connection. */
    boolean isFinished() {
        return finished;
    }

    /**
     * Whether the whole request was written to the replica's connection, none of it still
     * pending: only then may the connection carry another request (a replica that answers
     * before it has read the whole request leaves the rest of it pending).
     */
    boolean isDelivered() {
        return finished && !writing;
    }

    /** Whether the request waits for body bytes from the client (so a silence is the client's). */
    boolean waitsForClient() {
        return upstream != null && !finished && !writing && !headPending;
    }

    /** Where the next request starts in the client's input (valid once finished). */
    int endOfRequest() {
        return sent;
    }

    /** The background write finished. */
    void written() {
        writing = false;
        afterWrite();
        if (!finished) {
            pump();
        }
    }

    @Override
    boolean step() {
        if (writing || finished || upstream == null) {
            return false;
        }
        IoBuffer in = client.input();
        int limit = in.buffer().limit();
        int end = body.isDone() ? sent : bodyEnd(in.buffer(), limit);
        if (end < 0) {
            return false;
        }
        if (headPending || end > sent) {
            ByteBuffer[] buffers = buffers(in, end);
            headPending = false;
            sent = end;
            finished = body.isDone();
            try {
                if (!upstream.flush(buffers)) {
                    writing = true;
                    upstream.write(buffers);
                    return false;
                }
            } catch (IOException e) {
                attempt.upstreamWriteFailed(e);
                return false;
            }
            afterWrite();
            return !finished;
        }
        return readMore(in);
    }

    private ByteBuffer[] buffers(IoBuffer in, int end) {
        if (!headPending) {
            bodyOnly[0] = in.range(sent, end);
            return bodyOnly;
        }
        headAndBody[0] = head.buffer();
        headAndBody[1] = in.range(sent, end);
        return headAndBody;
    }

    /** How far the body reaches in {@code [sent, limit)}; -1 after reporting a bad body. */
    private int bodyEnd(ByteBuffer in, int limit) {
        int end = body.advance(in, sent, limit);
        if (end == BodyTracker.MALFORMED) {
            exchange.requestBodyFailed(GatewayReply.BAD_REQUEST);
        } else if (end == BodyTracker.TOO_LARGE) {
            exchange.requestBodyFailed(GatewayReply.BODY_TOO_LARGE);
        }
        return end;
    }

    private void afterWrite() {
        if (!continueSent && request.expectsContinue() && !finished) {
            continueSent = true;
            client.sendContinue();
        }
        if (finished) {
            exchange.requestSent();
        }
    }

    /** Reads more body bytes from the client; false when none came now. */
    private boolean readMore(IoBuffer in) {
        if (!in.hasRoom()) {
            replayable = false; // the body outgrew the buffer: what was sent gives way
            in.buffer().position(sent);
            int shift = in.compact();
            sent -= shift;
            bodyStart = sent;
        }
        int read = client.fill();
        if (read < 0) {
            exchange.clientGone();
            return false;
        }
        return read > 0;
    }
}
