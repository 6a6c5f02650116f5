package io.longshore.jetty.internal.embedded;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SelectorManager;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded proxy's connections to replicas, made so that a replica's early answer (a 413
 * before it read the body, say) is relayed rather than lost. A replica that answers and closes
 * without reading the rest of the body resets the connection, and the next write of the body
 * fails. Jetty's client then aborts the whole exchange, its response included, even though
 * the answer is already in the socket's receive buffer. Here a write that fails drops that
 * and every later byte instead: the connection's reader still sees what the replica answered
 * and then the reset, so the exchange ends with the replica's response, or with a reset when
 * it sent none, as in the standalone engine.
 *
 * <p>Their idle timeout is the response timeout, and Jetty's client fails the request a
 * connection carries once it has been silent that long, whatever it waits for. A replica is
 * silent, though, while the request waits for its client: for the next bytes of a body the
 * client pauses in, or for the client to take the response's last bytes. That silence is the
 * client's, which the host server's idle timeout bounds (a stalled body gets 408), so it is
 * passed over here, as the standalone engine does: the request a connection carries says
 * whether it {@link CarriedRequest#waitsForClient waits for its client} when the timeout fires.
 */
final class ReplicaConnector extends ClientConnector {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaConnector.class);
    private final ClientWrites clientWrites;

    /** @param clientWrites the clients' writes its selector makes at the end of each round */
    ReplicaConnector(ClientWrites clientWrites) {
        this.clientWrites = clientWrites;
    }

    @Override
    protected SelectorManager newSelectorManager() {
        return new ClientSelectorManager(getExecutor(), getScheduler(), getSelectors()) {
            @Override
            protected ManagedSelector newSelector(int id) {
                ManagedSelector selector = new RoundSelector(this, id, clientWrites);
                clientWrites.selector(selector);
                return selector;
            }
        };
    }

    /** A selector that tells the clients' writes on which thread it waits for events. */
    private static final class RoundSelector extends ManagedSelector {
        private final ClientWrites clientWrites;

        RoundSelector(SelectorManager manager, int id, ClientWrites clientWrites) {
            super(manager, id);
            this.clientWrites = clientWrites;
        }

        @Override
        protected int nioSelect(Selector selector, boolean now) throws IOException {
            clientWrites.selecting(Thread.currentThread());
            return super.nioSelect(selector, now);
        }
    }

    @Override
    protected EndPoint newEndPoint(SelectableChannel selectable, ManagedSelector selector, SelectionKey key) {
        return new ReplicaEndPoint((SocketChannel) selectable, selector, key, getScheduler());
    }

    /**
     * The end point of Jetty's client {@code connection} (a request's {@code getConnection()}),
     * when it is one of this connector's; otherwise {@code null}.
     */
    static ReplicaEndPoint endPointOf(Object connection) {
        return connection instanceof Connection jettyConnection
                && jettyConnection.getEndPoint() instanceof ReplicaEndPoint endPoint ? endPoint : null;
    }

    /** A request on a replica connection, asked why the replica is silent when the idle timeout fires. */
    interface CarriedRequest {
        /** Whether the request waits for its client now (its next body bytes, or its reading of the response). */
        boolean waitsForClient();
    }

    /**
     * An end point whose writes, once one failed, are dropped (reads go on as before), and whose
     * idle timeout passes over a silence while the request it carries waits for its client.
     */
    static final class ReplicaEndPoint extends SocketChannelEndPoint {
        private volatile boolean writesFailed;
        /** The request this connection carries now; {@code null} between requests. */
        private final AtomicReference<CarriedRequest> carried = new AtomicReference<>();

        ReplicaEndPoint(SocketChannel channel, ManagedSelector selector, SelectionKey key, Scheduler scheduler) {
            super(channel, selector, key, scheduler);
        }

        /** {@code request} is the one this connection carries from now on. */
        void carry(CarriedRequest request) {
            carried.set(request);
        }

        /** {@code request} ended; the connection carries none until the next (which may have begun). */
        void carried(CarriedRequest request) {
            carried.compareAndSet(request, null);
        }

        /**
         * Silent for the idle timeout: unless the request carried waits for its client, the
         * connection is given up as Jetty's client does (failing that request: a replica too
         * slow). Passed over, the timeout is checked again after as long.
         */
        @Override
        protected void onIdleExpired(TimeoutException timeout) {
            CarriedRequest request = carried.get();
            if (request != null && request.waitsForClient()) {
                return;
            }
            super.onIdleExpired(timeout);
        }

        @Override
        public boolean flush(ByteBuffer... buffers) throws IOException {
            if (!writesFailed) {
                try {
                    return super.flush(buffers);
                } catch (IOException failure) {
                    writesFailed = true;
                    LOG.trace("writing to {} failed, reading what it answered: {}", getRemoteSocketAddress(),
                            failure.toString());
                }
            }
            for (ByteBuffer buffer : buffers) {
                buffer.position(buffer.limit());
            }
            return true;
        }
    }
}
