package io.longshore.jetty.internal.embedded;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import org.eclipse.jetty.io.ClientConnector;
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

    /** An end point whose writes, once one failed, are dropped; reads go on as before. */
    private static final class ReplicaEndPoint extends SocketChannelEndPoint {
        private volatile boolean writesFailed;

        ReplicaEndPoint(SocketChannel channel, ManagedSelector selector, SelectionKey key, Scheduler scheduler) {
            super(channel, selector, key, scheduler);
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
