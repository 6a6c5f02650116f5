package io.longshore.jetty.internal.engine;

import io.longshore.jetty.internal.accesslog.AccessLogEntry;
import io.longshore.jetty.internal.accesslog.AccessLogWriter;
import io.longshore.jetty.internal.codec.HeadWriter;
import io.longshore.jetty.internal.codec.Method;
import io.longshore.jetty.internal.codec.Parse;
import io.longshore.jetty.internal.codec.RequestHead;
import io.longshore.jetty.internal.policy.GatewayReply;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * One client connection: reads request heads, runs one {@link ProxyExchange} at a time (so
 * pipelined requests wait their turn in the input buffer), keeps the connection alive between
 * exchanges and closes it gracefully: after a {@code Connection: close} response it shuts its
 * output and reads and drops what the client still sends (nginx's lingering close), so the
 * client sees the response rather than a reset. A client that opens with the HTTP/2 preface is
 * handed to the gateway's HTTP/2 connections when it has them ({@link Http2Connections}), with
 * the bytes it sent ({@link #onUpgradeFrom}). Confined to the worker's thread.
 */
final class DownstreamConnection extends EngineConnection implements Connection.UpgradeFrom {
    /** How long a closing connection waits for the client's end. */
    static final long LINGER_MILLIS = 2_000;
    /** The most bytes read and dropped while closing. */
    static final long LINGER_BYTES = 4L << 20;
    /** How an HTTP/2 client's connection preface starts (RFC 9113 §3.4): a request line no HTTP/1 parser takes. */
    private static final byte[] HTTP2_PREFACE = "PRI * HTTP/2.0\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final ByteBuffer CONTINUE = ByteBuffer.wrap("HTTP/1.1 100 Continue\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII)).asReadOnlyBuffer();

    private enum State { IDLE, ACTIVE, CLOSING, TUNNEL }

    private final ProxyWorker worker;
    private final boolean secure;
    private final Callback writes = new LoopCallback() {
        @Override
        public void succeeded() {
            writing = false;
            try {
                if (state == State.ACTIVE) {
                    exchange.clientWritten();
                } else if (state == State.CLOSING) {
                    startLingering();
                }
            } catch (RuntimeException e) {
                fault(e);
            }
        }

        @Override
        public void failed(Throwable failure) {
            writing = false;
            try {
                if (state == State.ACTIVE) {
                    exchange.clientGone();
                } else {
                    close();
                }
            } catch (RuntimeException e) {
                fault(e);
            }
        }
    };
    /** The {@code 100 Continue}'s background write: its end is not the response's. */
    private final Callback continueWrites = new LoopCallback() {
        @Override
        public void succeeded() {
            writing = false;
            try {
                if (state == State.ACTIVE) {
                    exchange.continueWritten();
                }
            } catch (RuntimeException e) {
                fault(e);
            }
        }

        @Override
        public void failed(Throwable failure) {
            writes.failed(failure);
        }
    };
    /**
     * Made when the first head is whole, so a connection that trickles a head it never finishes
     * holds only that head (fewer live objects for the collector to copy per waiting client).
     */
    private ProxyExchange exchange;
    /** The head being parsed; made with the connection's first bytes. */
    private RequestHead head;
    private TunnelRelay tunnel;
    private IoBuffer input;
    private State state = State.IDLE;
    private final Pump processing = new Pump() {
        @Override
        boolean step() {
            return dispatch();
        }
    };
    private boolean writing;
    private long lingered;
    private byte[] clientAddress;
    private String clientAddressText;
    private final HeadDeadlines.Entry headWait = new HeadDeadlines.Entry(this, this::headTimedOut);

    /** @param secure whether the client came over TLS (the end point is then the decrypting one) */
    DownstreamConnection(ProxyWorker worker, EndPoint endPoint, boolean secure) {
        super(endPoint, worker);
        this.worker = worker;
        this.secure = secure;
    }

    @Override
    void onFillable() {
        process();
    }

    @Override
    void onReadFailed(Throwable failure) {
        close();
    }

    @Override
    public void onOpen() {
        endPoint.setIdleTimeout(worker.context().clientIdleTimeoutMillis);
        SocketAddress remote = endPoint.getRemoteSocketAddress();
        clientAddressText = remote instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress() : "unknown";
        clientAddress = clientAddressText.getBytes(StandardCharsets.US_ASCII);
        worker.headDeadlines().watch(headWait); // the first head is due within the timeout from now
        wantInput();
    }

    /** Handles whatever can be handled now; re-entrant calls are folded into the running one. */
    void process() {
        processing.pump();
    }

    /** One round of whatever the connection's state calls for. */
    private boolean dispatch() {
        switch (state) {
            case IDLE -> readRequest();
            case ACTIVE -> exchange.clientReadable();
            case CLOSING -> linger();
            case TUNNEL -> tunnel.clientReadable();
        }
        return false;
    }

    private void readRequest() {
        if (input == null || !input.buffer().hasRemaining()) {
            if (worker.context().isDraining()) {
                close();
                return;
            }
            if (fill() <= 0) {
                return;
            }
        }
        int result = head().parseMore(input.buffer());
        if (result == Parse.NEED_MORE) {
            worker.headDeadlines().watch(headWait); // part of a head came: the rest is due within the timeout
            if (!input.hasRoom()) {
                input.compact();
            }
            if (!input.hasRoom()) {
                // cannot happen while the buffer holds a whole head of the largest size allowed
                refuseHead(GatewayReply.HEADERS_TOO_LARGE);
                return;
            }
            if (fill() > 0) {
                process(); // folded into the running round: parse again with the new bytes
            }
            return;
        }
        worker.headDeadlines().unwatch(headWait);
        if (Parse.isError(result) && exchange == null && startsWithPreface() && worker.context().http2 != null) {
            endPoint.upgrade(worker.context().http2.newConnection(endPoint));
            return;
        }
        if (Parse.isError(result)) {
            refuseHead(GatewayReply.forParseError(Parse.status(result)), head.hasStartLine() ? head : null);
            return;
        }
        ByteBuffer buffer = input.buffer();
        buffer.position(buffer.position() + result);
        state = State.ACTIVE;
        nextGeneration();
        exchange().start();
    }

    /** Whether the connection's first bytes are the HTTP/2 preface's request line. */
    private boolean startsWithPreface() {
        ByteBuffer held = input.buffer();
        if (held.remaining() < HTTP2_PREFACE.length) {
            return false;
        }
        for (int i = 0; i < HTTP2_PREFACE.length; i++) {
            if (held.get(held.position() + i) != HTTP2_PREFACE[i]) {
                return false;
            }
        }
        return true;
    }

    /** The bytes the client sent before its connection went over to HTTP/2: the preface and what followed. */
    @Override
    public ByteBuffer onUpgradeFrom() {
        return input == null ? BufferUtil.EMPTY_BUFFER : BufferUtil.copy(input.buffer());
    }

    /**
     * Reads more client bytes after those held; returns the count, 0 after asking to be called
     * again when bytes arrive, or -1 after closing at the end of the stream.
     */
    int fill() {
        IoBuffer in = input();
        if (state != State.ACTIVE && !in.buffer().hasRemaining()) {
            in.empty(); // during an exchange the forwarder's indexes into the buffer must hold
        }
        int read = readInto(in);
        if (read == 0) {
            if (!in.buffer().hasRemaining() && state == State.IDLE) {
                worker.buffers().give(input);
                input = null;
            }
            wantInput();
        } else if (read < 0 && state != State.ACTIVE) {
            close();
        }
        return read;
    }

    private RequestHead head() {
        if (head == null) {
            head = new RequestHead(worker.context().settings.maxHeaderBytes());
        }
        return head;
    }

    private ProxyExchange exchange() {
        if (exchange == null) {
            exchange = new ProxyExchange(worker, this, head);
        }
        return exchange;
    }

    IoBuffer input() {
        if (input == null) {
            input = worker.buffers().take(worker.context().clientBufferSize);
        }
        return input;
    }

    /** Whether the client came over TLS ({@code X-Forwarded-Proto: https}). */
    boolean isSecure() {
        return secure;
    }

    byte[] clientAddress() {
        return clientAddress;
    }

    String clientAddressText() {
        return clientAddressText;
    }

    boolean isWriting() {
        return writing;
    }

    /** Writes what it can now; true when all of it went out. */
    boolean flush(ByteBuffer... buffers) throws IOException {
        return endPoint.flush(buffers);
    }

    /** Writes the rest in the background; the exchange hears {@link ProxyExchange#clientWritten()}. */
    void write(ByteBuffer... buffers) {
        writing = true;
        endPoint.write(writes, buffers);
    }

    /** Tells a client that waits for it to send its body ({@code Expect: 100-continue}). */
    void sendContinue() {
        ByteBuffer bytes = CONTINUE.duplicate();
        try {
            if (!flush(bytes)) {
                writing = true;
                endPoint.write(continueWrites, bytes);
            }
        } catch (IOException e) {
            exchange.clientGone();
        }
    }

    /** The exchange ended; the connection waits for the next request or closes. */
    void exchangeDone(boolean keepAlive) {
        nextGeneration();
        if (!keepAlive || worker.context().isDraining() && !input().buffer().hasRemaining()) {
            startClosing();
            process();
            return;
        }
        state = State.IDLE;
        if (input.buffer().hasRemaining()) {
            process(); // a pipelined request is waiting
        } else {
            // the next request has not arrived yet (reading now would only find nothing)
            worker.buffers().give(input);
            input = null;
            wantInput();
        }
    }

    /**
     * The connection becomes one end of {@code through}: its bytes go to the tunnel from now on.
     * The bytes the client sent after its request (from {@code from} in its input) are returned
     * for the tunnel to copy; the input buffer itself is given back.
     */
    ByteBuffer becomeTunnel(TunnelRelay through, int from) {
        state = State.TUNNEL;
        tunnel = through;
        nextGeneration();
        ByteBuffer held = input().buffer().duplicate();
        held.position(Math.max(from, held.position()));
        return held;
    }

    /** The tunnel copied what the client sent ahead: the input buffer goes back. */
    void releaseInput() {
        worker.buffers().give(input);
        input = null;
    }

    /** Answers a request head the gateway could not read (and logs it), then closes. */
    private void refuseHead(GatewayReply reply) {
        refuseHead(reply, null);
    }

    /**
     * Answers a request head the gateway will not take (and logs it, with its request line when
     * {@code refused} is not null: a head that was read and then refused), then closes.
     */
    private void refuseHead(GatewayReply reply, RequestHead refused) {
        boolean toHead = refused != null && refused.method() == Method.HEAD; // its answer has no body
        AccessLogWriter log = worker.context().accessLog;
        if (log != null) {
            long now = worker.context().settings.clock().instant().toEpochMilli();
            log.log(refused == null
                    ? new AccessLogEntry(now, clientAddressText, null, null, "HTTP/1.1", reply.status(),
                            reply.body().length(), null, null, 0, 0, 0, -1, -1, null, null)
                    : new AccessLogEntry(now, clientAddressText, refused.methodName(),
                            refused.text(refused.targetStart(), refused.targetEnd()),
                            refused.isHttp10() ? "HTTP/1.0" : "HTTP/1.1", reply.status(),
                            toHead ? 0 : reply.body().length(), null, null, 0, 0, 0, -1, -1,
                            refused.field("referer"), refused.field("user-agent")));
        }
        replyAndClose(reply, toHead);
    }

    /** Answers a request the gateway will not forward (a {@code HEAD} one with the head alone), then closes. */
    private void replyAndClose(GatewayReply reply, boolean toHead) {
        state = State.CLOSING;
        ByteBuffer bytes = toHead ? worker.context().replyToHead(reply, HeadWriter.ConnectionOption.CLOSE)
                : worker.context().reply(reply, HeadWriter.ConnectionOption.CLOSE);
        try {
            if (flush(bytes)) {
                startLingering();
            } else {
                write(bytes);
            }
        } catch (IOException e) {
            close();
        }
    }

    private void startClosing() {
        state = State.CLOSING;
        startLingering();
    }

    private void startLingering() {
        if (writing) {
            return;
        }
        lingered = 0;
        endPoint.setIdleTimeout(LINGER_MILLIS);
        endPoint.shutdownOutput();
        linger();
    }

    private void linger() {
        try {
            while (true) {
                int read = endPoint.fill(worker.scratch());
                if (read < 0 || (lingered += read) > LINGER_BYTES) {
                    close();
                    return;
                }
                if (read == 0) {
                    wantInput();
                    return;
                }
            }
        } catch (IOException e) {
            close();
        }
    }

    /** Closes the connection if no exchange runs and no request is buffered. */
    void closeIfIdle() {
        if (state == State.IDLE && (input == null || !input.buffer().hasRemaining())) {
            close();
        }
    }

    /**
     * The request head was not whole by its deadline, however steadily its bytes came: a client
     * that sent part of one gets 408, a connection that sent nothing is closed.
     */
    private void headTimedOut() {
        if (state != State.IDLE || !endPoint.isOpen()) {
            return;
        }
        if (input != null && input.buffer().hasRemaining()) {
            refuseHead(GatewayReply.REQUEST_HEAD_TIMEOUT);
        } else {
            close();
        }
    }

    @Override
    public void onClose(Throwable cause) {
        worker.headDeadlines().unwatch(headWait);
        worker.clientClosed(this);
        if (state == State.ACTIVE && exchange != null) {
            exchange.clientGone();
        } else if (state == State.TUNNEL) {
            tunnel.connectionClosed();
        }
        state = State.CLOSING;
        worker.buffers().give(input);
        input = null;
    }

    @Override
    void afterFault() {
        if (state == State.ACTIVE && exchange != null) {
            exchange.fault();
        } else if (state == State.TUNNEL) {
            tunnel.close();
        } else {
            close();
        }
    }

    /** The client was silent for the idle timeout. */
    @Override
    void timedOut() {
        if (state == State.ACTIVE) {
            exchange.clientTimedOut();
        } else if (state == State.TUNNEL) {
            tunnel.timedOut();
        } else {
            close();
        }
    }

    @Override
    public String toString() {
        return "client " + clientAddressText + " " + state;
    }
}
