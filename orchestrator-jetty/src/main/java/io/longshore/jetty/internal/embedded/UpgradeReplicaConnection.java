package io.longshore.jetty.internal.embedded;

import io.longshore.jetty.internal.codec.ChunkedScanner;
import io.longshore.jetty.internal.codec.Framing;
import io.longshore.jetty.internal.codec.Parse;
import io.longshore.jetty.internal.codec.ResponseHead;
import io.longshore.jetty.internal.policy.ProxySettings;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * The embedded gateway's connection to a replica for one upgrade request: sends the request
 * head, reads the answer's head with the gateway's own parser, and then either becomes the
 * replica's end of an {@link EmbeddedTunnel} (a 101) or reads the answer's body, up to
 * {@link #MAX_BODY_BYTES}, for its {@link UpgradeExchange} to relay as a normal response. Never
 * pooled: it closes with its request. Its events come on the client connector's selector.
 */
final class UpgradeReplicaConnection extends AbstractConnection {
    /** The largest body of a non-switching answer to an upgrade request that is relayed (else 502). */
    static final int MAX_BODY_BYTES = 1 << 20;

    private final UpgradeExchange exchange;
    private final ByteBuffer head;
    private final ResponseHead response = new ResponseHead(ProxySettings.MAX_RESPONSE_HEAD_BYTES);
    private final ByteBuffer input = BufferUtil.allocate(ProxySettings.MAX_RESPONSE_HEAD_BYTES);
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final ChunkedScanner chunks = ChunkedScanner.lenient();
    private Framing framing;
    private long remaining;
    private volatile EmbeddedTunnel tunnel;
    /** Set once, by the answer or the failure that comes first (the client's leaving comes on another thread). */
    private final AtomicBoolean answered = new AtomicBoolean();

    UpgradeReplicaConnection(EndPoint endPoint, Executor executor, UpgradeExchange exchange, ByteBuffer head) {
        super(endPoint, executor);
        this.exchange = exchange;
        this.head = head;
    }

    @Override
    public void onOpen() {
        super.onOpen();
        getEndPoint().setIdleTimeout(exchange.responseTimeoutMillis());
        getEndPoint().write(Callback.from(this::fillInterested, failure -> fail(failure)), head);
    }

    /** The replica's end of {@code through} from now on. */
    void becomeTunnel(EmbeddedTunnel through, long idleTimeoutMillis) {
        tunnel = through;
        getEndPoint().setIdleTimeout(idleTimeoutMillis);
    }

    /** What the replica sent after its 101 (to go to the client first). */
    ByteBuffer leftover() {
        return input.slice();
    }

    @Override
    public void onFillable() {
        EmbeddedTunnel through = tunnel;
        if (through != null) {
            through.readable(this);
            return;
        }
        try {
            int read = getEndPoint().fill(input);
            if (read < 0) {
                endOfStream();
            } else if (framing == null) {
                readHead();
            } else {
                readBody();
            }
        } catch (IOException e) {
            fail(e);
        }
    }

    private void readHead() {
        int result = response.parse(input);
        if (result == Parse.NEED_MORE) {
            if (BufferUtil.space(input) == 0) {
                fail(new IOException("the replica's answer head is too large"));
            } else {
                fillInterested();
            }
            return;
        }
        if (Parse.isError(result)) {
            fail(new IOException("the replica's answer head is malformed"));
            return;
        }
        input.position(input.position() + result);
        if (response.status() == 101) {
            if (!answered.compareAndSet(false, true)) {
                return; // the client left meanwhile
            }
            exchange.switched(response, this); // the tunnel reads on, once the client's side is taken over
            return;
        }
        if (response.isInterim()) {
            readHead(); // 100, 102, 103: the final answer follows
            return;
        }
        framing = response.framing(exchange.isHeadRequest());
        remaining = framing == Framing.FIXED ? response.contentLength() : 0;
        readBody();
    }

    private void readBody() {
        switch (framing) {
            case NONE -> remaining = 0;
            case FIXED -> {
                int take = (int) Math.min(remaining, input.remaining());
                body.write(input.array(), input.arrayOffset() + input.position(), take);
                input.position(input.position() + take);
                remaining -= take;
            }
            case CHUNKED -> {
                int data = chunks.decode(input);
                if (data == ChunkedScanner.MALFORMED) {
                    fail(new IOException("the replica's chunked framing is malformed"));
                    return;
                }
                body.write(input.array(), input.arrayOffset() + input.position(), data);
                input.position(input.position() + chunks.consumed());
            }
            case UNTIL_CLOSE -> {
                body.write(input.array(), input.arrayOffset() + input.position(), input.remaining());
                input.position(input.limit());
            }
        }
        if (body.size() > MAX_BODY_BYTES) {
            fail(new IOException("the replica's answer to an upgrade request is over " + MAX_BODY_BYTES + " bytes"));
        } else if (framing == Framing.NONE || framing == Framing.FIXED && remaining == 0
                || framing == Framing.CHUNKED && chunks.isDone()) {
            answered();
        } else {
            BufferUtil.compact(input);
            fillInterested();
        }
    }

    private void endOfStream() {
        if (framing == Framing.UNTIL_CLOSE) {
            answered();
        } else {
            fail(new EOFException("the replica closed the connection before its answer was whole"));
        }
    }

    private void answered() {
        if (answered.compareAndSet(false, true)) {
            exchange.responded(response, body.toByteArray());
        }
        close();
    }

    private void fail(Throwable failure) {
        if (answered.compareAndSet(false, true)) {
            exchange.replicaFailed(failure);
        }
        close();
    }

    /** The client left before the answer: the exchange hears of it as {@code failure} (a client gone), once. */
    void cancel(Throwable failure) {
        fail(failure);
    }

    @Override
    public boolean onIdleExpired(TimeoutException timeout) {
        EmbeddedTunnel through = tunnel;
        if (through != null) {
            through.close();
        } else {
            fail(timeout);
        }
        return true;
    }

    @Override
    public void onClose(Throwable cause) {
        super.onClose(cause);
        EmbeddedTunnel through = tunnel;
        if (through != null) {
            through.close();
        } else if (!answered.get()) {
            fail(cause != null ? cause : new EOFException("the replica closed the connection"));
        }
    }
}
