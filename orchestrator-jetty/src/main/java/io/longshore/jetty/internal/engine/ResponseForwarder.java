package io.longshore.jetty.internal.engine;

import io.longshore.jetty.internal.codec.Framing;
import io.longshore.jetty.internal.codec.HeadWriter;
import io.longshore.jetty.internal.codec.Parse;
import io.longshore.jetty.internal.codec.ResponseHead;
import io.longshore.jetty.internal.policy.GatewayReply;
import io.longshore.jetty.internal.policy.RetryRules;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Relays one replica's response to the client: parses its head, lets the exchange decide on a
 * retry for 502/503/504, rewrites the head, and streams the body straight from the replica's
 * input buffer, reading no more from the replica than the client has taken. The head goes out
 * together with the first body bytes, so until a body byte has been seen and checked the
 * client has received nothing and the exchange can still try another replica. Confined to the
 * worker's thread.
 */
final class ResponseForwarder extends Pump {
    private final ProxyExchange exchange;
    private final DownstreamConnection client;
    private final BodyTracker body = BodyTracker.forResponses();
    private final ByteBuffer[] headAndBody = new ByteBuffer[2];
    private final ByteBuffer[] single = new ByteBuffer[1];
    private ReplicaAttempt attempt;
    private IoBuffer head;
    private UpstreamConnection upstream;
    private boolean headParsed;
    private boolean headPending;
    private boolean committed;
    private boolean received;
    private boolean topUpTried;
    private boolean wroteLater;
    private long answeredAt;
    private boolean writing;
    /** Counts the attempts, so a background write can tell whether it began in the current one. */
    private int attempts;
    /** The attempt whose bytes the pending (or last) background write carries. */
    private int writeAttempt;
    private boolean complete;
    private boolean bodyDone;
    private boolean dechunk;
    private boolean keepClient;
    private boolean reusable;
    private int status;
    private Framing framing;
    private int consumedEnd;
    private long bodyBytes;
    private long firstByteAt = -1;

    ResponseForwarder(ProxyExchange exchange, DownstreamConnection client) {
        this.exchange = exchange;
        this.client = client;
    }

    void attempt(ReplicaAttempt replicaSide) {
        this.attempt = replicaSide;
    }

    /** A new request: nothing of a response has reached the client. */
    void startRequest() {
        upstream = null;
        committed = false;
        writing = false;
        keepClient = false;
        bodyBytes = 0;
    }

    void startAttempt(UpstreamConnection connection) {
        attempts++;
        upstream = connection;
        headParsed = false;
        headPending = false;
        received = false;
        wroteLater = false;
        answeredAt = -1;
        writing = false;
        complete = false;
        bodyDone = false;
        committed = false;
        firstByteAt = -1;
    }

    void stopAttempt() {
        upstream = null;
    }

    void release(BufferCache buffers) {
        buffers.give(head);
        head = null;
    }

    /** Whether a write to the client is pending (so the replica is not being read). */
    boolean waitsForClient() {
        return writing;
    }

    /** Whether the replica sent no byte in this attempt. */
    boolean receivedNothing() {
        return !received && !upstream.hasHeldBytes();
    }

    /** Whether any byte of the response reached the client. */
    boolean isCommitted() {
        return committed;
    }

    int status() {
        return status;
    }

    /** Body bytes relayed to the client so far. */
    long bodyBytes() {
        return bodyBytes;
    }

    /** When the last attempt's first response byte came (gateway clock; access log on), else -1. */
    long firstByteAt() {
        return firstByteAt;
    }

    /** Whether the client connection stays open after this response. */
    boolean keepsClient() {
        return keepClient;
    }

    /** The background write to the client finished. */
    void written() {
        writing = false;
        if (upstream == null) {
            return;
        }
        if (writeAttempt != attempts) {
            // a 1xx of an earlier attempt went out: what it consumed was that attempt's connection's
            pump();
            return;
        }
        upstream.input().buffer().position(consumedEnd);
        if (bodyDone) {
            finish();
        } else {
            pump();
        }
    }

    @Override
    boolean step() {
        if (writing || complete || upstream == null || client.isWriting()) {
            return false;
        }
        ByteBuffer in = upstream.input().buffer();
        if (!headParsed) {
            return in.hasRemaining() ? parseHead(in) : fill();
        }
        if (bodyDone) {
            consumedEnd = in.position();
            return send(upstream.input(), consumedEnd, consumedEnd);
        }
        return in.hasRemaining() ? forwardBody(in) : fill();
    }

    private boolean fill() {
        int read = upstream.fill();
        if (read > 0 && !received && exchange.logsAccess()) {
            firstByteAt = exchange.now();
        }
        received |= read > 0;
        topUpTried = false;
        if (read < 0) {
            return endOfStream();
        }
        if (read == 0) {
            upstream.wantInput();
        }
        return read > 0;
    }

    private boolean parseHead(ByteBuffer in) {
        ResponseHead response = exchange.worker().responseHead();
        int result = response.parse(in);
        if (result == Parse.NEED_MORE) {
            return fill();
        }
        if (Parse.isError(result)) {
            attempt.badResponse();
            return false;
        }
        in.position(in.position() + result);
        status = response.status();
        if (response.isInterim()) {
            return interim(response);
        }
        attempt.responseBegun();
        framing = response.framing(exchange.isHeadRequest());
        if (RetryRules.isRetriedStatus(status) && attempt.mayRetryAfterStatus()) {
            boolean drained = framing == Framing.NONE
                    || framing == Framing.FIXED && response.contentLength() <= in.remaining();
            if (drained) {
                in.position(in.position() + (int) Math.max(0, framing == Framing.FIXED ? response.contentLength() : 0));
            }
            attempt.retryAfterStatus(status, drained && response.allowsReuse() && !in.hasRemaining());
            return false;
        }
        if (exchange.clientIsHttp10() && response.hasOtherTransferCoding() && framing != Framing.NONE) {
            // RFC 9112 6.1: an HTTP/1.0 client knows no transfer codings, so a body coded other than
            // chunked cannot reach it as the replica labelled it (dechunked, it would pass for plain)
            exchange.reply(GatewayReply.REPLICA_FAILED);
            return false;
        }
        dechunk = framing == Framing.CHUNKED && exchange.clientIsHttp10();
        reusable = response.allowsReuse() && framing != Framing.UNTIL_CLOSE;
        keepClient = exchange.clientMayStayOpen() && framing != Framing.UNTIL_CLOSE && !dechunk;
        writeHead(response, HeadWriter.ConnectionOption.toClient(keepClient, exchange.clientIsHttp10()),
                attempt.stickyLine());
        body.start(framing, response.contentLength(), Long.MAX_VALUE, dechunk);
        bodyDone = body.isDone();
        headParsed = true;
        return true;
    }

    /**
     * A 1xx response: 101 to an upgrade request turns both connections into a tunnel (to any
     * other request it is a bad response), 100 is dropped (the gateway answers {@code Expect}
     * itself), others go to HTTP/1.1 clients.
     */
    private boolean interim(ResponseHead response) {
        if (status == 101) {
            if (exchange.mayTunnel()) {
                head = exchange.worker().buffers().atLeast(head, HeadWriter.responseSize(response));
                ByteBuffer out = head.buffer().clear();
                HeadWriter.writeSwitchingProtocols(response, out);
                exchange.startTunnel(out.flip(), upstream);
            } else {
                attempt.badResponse(); // a switch nobody asked for (or before the request's body was whole)
            }
            return false;
        }
        if (status == 100 || exchange.clientIsHttp10()) {
            return true;
        }
        writeHead(response, HeadWriter.ConnectionOption.NONE, null);
        headPending = false;
        consumedEnd = upstream.input().buffer().position();
        single[0] = head.buffer();
        try {
            if (!client.flush(single)) {
                writing = true;
                writeAttempt = attempts;
                client.write(single);
                return false;
            }
        } catch (IOException e) {
            exchange.clientGone();
            return false;
        }
        return true;
    }

    /** @param extraLine a field line the gateway adds (a sticky cookie), or null */
    private void writeHead(ResponseHead response, HeadWriter.ConnectionOption option, byte[] extraLine) {
        int extra = extraLine == null ? 0 : extraLine.length;
        head = exchange.worker().buffers().atLeast(head, HeadWriter.responseSize(response) + extra);
        ByteBuffer out = head.buffer().clear();
        // an HTTP/1.0 client gets no Transfer-Encoding (RFC 9112 6.1), also on a HEAD, 204 or 304 answer
        HeadWriter.writeResponse(response, out, dechunk || exchange.clientIsHttp10(), option, extraLine);
        out.flip();
        headPending = true;
    }

    private boolean forwardBody(ByteBuffer in) {
        if (body.needsMoreThan(in.remaining()) && !topUpTried && upstream.input().hasRoom()) {
            topUp();
        }
        int from = in.position();
        consumedEnd = body.advance(in, from, in.limit());
        if (consumedEnd < 0) {
            return badBody();
        }
        bodyDone = body.isDone();
        if (consumedEnd == from && !bodyDone) {
            return fill(); // a chunked framing line is not whole yet: it goes on once it is, and checked
        }
        return send(upstream.input(), from, body.dataEnd());
    }

    /**
     * Reads once more before relaying part of a body: the rest often arrived while the first
     * part was handled (a replica sends a large body in segments back to back), and relaying
     * both in one write spares the client a segment and a wake-up.
     */
    private void topUp() {
        topUpTried = true;
        received |= upstream.fill() > 0; // an end of stream shows on the next fill
    }

    private boolean badBody() {
        if (committed) {
            attempt.abort(new IOException("replica sent malformed chunked framing"));
        } else {
            attempt.badResponse();
        }
        return false;
    }

    /** Writes the pending head (if any) and {@code [from, to)} of the replica's bytes. */
    private boolean send(IoBuffer in, int from, int to) {
        ByteBuffer[] buffers;
        if (headPending) {
            headAndBody[0] = head.buffer();
            headAndBody[1] = in.range(from, to);
            buffers = headAndBody;
        } else if (to > from) {
            single[0] = in.range(from, to);
            buffers = single;
        } else {
            in.buffer().position(consumedEnd);
            return !bodyDone || finishAndStop();
        }
        headPending = false;
        committed = true;
        bodyBytes += to - from;
        if (bodyDone) {
            answered();
        }
        try {
            if (!client.flush(buffers)) {
                writeLater(buffers);
                return false;
            }
        } catch (IOException e) {
            exchange.clientGone();
            return false;
        }
        in.buffer().position(consumedEnd);
        return !bodyDone || finishAndStop();
    }

    /**
     * Leaves the rest of {@code buffers} to a background write; replica bytes it covers that
     * sit in the worker's shared buffer move to the connection's own first.
     */
    private void writeLater(ByteBuffer[] buffers) {
        int last = buffers.length - 1;
        ByteBuffer range = buffers[last];
        if (range != head.buffer()) {
            int end = range.limit();
            int shift = upstream.keepOwnCopy(range.position());
            if (shift >= 0) {
                consumedEnd -= shift;
                buffers[last] = upstream.input().range(range.position() - shift, end - shift);
            }
        }
        writing = true;
        writeAttempt = attempts;
        wroteLater = true;
        client.write(buffers);
    }

    @Override
    void paused() {
        if (upstream != null) {
            upstream.settle();
        }
    }

    private boolean endOfStream() {
        if (headParsed && framing == Framing.UNTIL_CLOSE) {
            bodyDone = true;
            reusable = false;
            consumedEnd = upstream.input().buffer().position();
            return send(upstream.input(), consumedEnd, consumedEnd);
        }
        attempt.upstreamFailed(new EOFException("replica closed the connection mid-response"));
        return false;
    }

    private boolean finishAndStop() {
        finish();
        return false;
    }

    /**
     * The replica's whole response is in: its lease is reported now, before the last bytes
     * reach the client (the replica's work is done; a client that then fails costs it nothing).
     */
    private void answered() {
        if (answeredAt < 0) {
            answeredAt = exchange.now();
            attempt.replicaAnswered(answeredAt);
        }
    }

    private void finish() {
        if (complete) {
            return;
        }
        complete = true;
        answered();
        boolean clean = reusable && !upstream.hasHeldBytes();
        exchange.responseComplete(clean, wroteLater ? -1 : answeredAt);
    }
}
