package io.longshore.jetty.internal.http2;

import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Server;

/**
 * A Jetty connector that accepts nothing itself: the engine accepts the sockets and hands their
 * end points over, and the connections made on them take the server, its thread pool, scheduler
 * and buffers from here. Thread-safe.
 */
final class DetachedConnector extends AbstractConnector {
    DetachedConnector(Server server, ConnectionFactory factory) {
        super(server, null, null, null, 0, factory);
    }

    @Override
    protected void accept(int acceptorID) {
        throw new UnsupportedOperationException("the gateway's engine accepts the connections");
    }

    @Override
    public Object getTransport() {
        return null;
    }
}
