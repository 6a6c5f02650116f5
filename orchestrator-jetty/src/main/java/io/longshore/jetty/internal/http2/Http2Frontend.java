package io.longshore.jetty.internal.http2;

import io.longshore.jetty.internal.embedded.EmbeddedProxy;
import io.longshore.jetty.internal.engine.Http2Connections;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.http2.HTTP2Connection;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.LocalConnector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * HTTP/2 for the standalone gateway's clients. A Jetty {@link Server} that listens on nothing
 * runs the gateway's proxy handler; the engine hands it the end points of clients that speak
 * HTTP/2, and Jetty's HTTP/2 server connection (frames, HPACK, SETTINGS, flow control, stream
 * limits) runs on each, on the engine's event loop for its socket. Each stream goes to the
 * handler as a request and to a replica as an HTTP/1.1 request, with the same routes,
 * admission, retries, waiting line and access log as the gateway's HTTP/1.1 clients get.
 * Thread-safe.
 */
public final class Http2Frontend implements Http2Connections {
    /** Streams a client may have open at once (RFC 9113 recommends at least 100). */
    static final int MAX_CONCURRENT_STREAMS = 128;

    private final Server server;
    /**
     * The connector the connections are made for: Jetty's in-process one, with no acceptor thread,
     * since the engine accepts the sockets; the connections take the server, its threads,
     * scheduler and buffers from it.
     */
    private final LocalConnector connector;
    private final HTTP2CServerConnectionFactory factory;
    private final EmbeddedProxy proxy;
    private final Set<HTTP2Connection> open = ConcurrentHashMap.newKeySet();
    private final Connection.Listener tracker = new Connection.Listener() {
        @Override
        public void onOpened(Connection connection) {
            open.add((HTTP2Connection) connection);
        }

        @Override
        public void onClosed(Connection connection) {
            open.remove((HTTP2Connection) connection);
        }
    };

    /**
     * @param proxy          the gateway's proxy handler, which answers every stream; the writes
     *                       its replica selector makes to a connection are held to that
     *                       selector's round's end ({@link EmbeddedProxy#holdingWrites})
     * @param maxHeaderBytes the largest request head (header list) a stream may send
     * @param threads        the most threads the streams' requests run on
     */
    public Http2Frontend(EmbeddedProxy proxy, int maxHeaderBytes, int threads) {
        this.proxy = proxy;
        QueuedThreadPool pool = new QueuedThreadPool(threads, Math.min(2, threads));
        pool.setName("longshore-gateway-h2");
        server = new Server(pool);
        HttpConfiguration config = new HttpConfiguration();
        config.setSendServerVersion(false);
        config.setSendDateHeader(false);
        config.setSendXPoweredBy(false);
        config.setRequestHeaderSize(maxHeaderBytes);
        // one factory for both ways in: the engine has checked TLS (and chosen h2 by ALPN) already
        factory = new HTTP2CServerConnectionFactory(config);
        factory.setMaxConcurrentStreams(MAX_CONCURRENT_STREAMS);
        connector = new LocalConnector(server, null, null, null, 0, factory);
        server.addConnector(connector);
        server.setHandler(proxy);
    }

    public void start() throws Exception {
        server.start();
    }

    @Override
    public Connection newConnection(EndPoint endPoint) {
        Connection connection = factory.newConnection(connector, proxy.holdingWrites(endPoint));
        connection.addEventListener(tracker);
        return connection;
    }

    /** Connections open now. */
    public int connections() {
        return open.size();
    }

    /**
     * Tells every client to open no new stream ({@code GOAWAY}); the future completes when the
     * streams already open have ended and the connections closed.
     */
    public CompletableFuture<Void> shutdown() {
        return CompletableFuture.allOf(open.stream()
                .map(connection -> connection.getSession().shutdown())
                .toArray(CompletableFuture[]::new));
    }

    /** Stops the handler and the threads; the engine closes the sockets. */
    public void stop() throws Exception {
        server.stop();
    }
}
