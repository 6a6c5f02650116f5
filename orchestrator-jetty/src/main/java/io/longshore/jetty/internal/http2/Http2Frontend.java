package io.longshore.jetty.internal.http2;

import io.longshore.jetty.GatewayHttp2;
import io.longshore.jetty.internal.embedded.EmbeddedProxy;
import io.longshore.jetty.internal.embedded.Refusals;
import io.longshore.jetty.internal.embedded.ServerRefusals;
import io.longshore.jetty.internal.engine.Http2Connections;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http2.HTTP2Connection;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.LocalConnector;
import org.eclipse.jetty.server.Request;
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
    /**
     * How many times the gateway's head limit a header list may be and still be decoded. A list
     * between the two gets 431 on its stream from the proxy handler, as the same head gets over
     * HTTP/1.1, and the connection's other streams go on; only a list beyond this is a
     * connection error ({@code GOAWAY}), since HPACK state cannot be kept without decoding it.
     * Jetty counts 32 bytes more per field than an HTTP/1.1 head takes (RFC 7541, section 4.1).
     */
    static final int DECODE_LIMIT_FACTOR = 8;

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
     * @param maxHeaderBytes the largest request head the proxy handler answers; header lists up to
     *                       {@value #DECODE_LIMIT_FACTOR} times as large are decoded, so that the
     *                       handler can answer them 431 (advertised as
     *                       {@code SETTINGS_MAX_HEADER_LIST_SIZE})
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
        config.setRequestHeaderSize(Math.multiplyExact(maxHeaderBytes, DECODE_LIMIT_FACTOR));
        config.addCustomizer(Http2Frontend::refuseBadHost);
        // one factory for both ways in: the engine has checked TLS (and chosen h2 by ALPN) already
        // its connections report every stream that closes, so an exchange hears of a reset Jetty made
        factory = GatewayHttp2.cleartext(config);
        factory.setMaxConcurrentStreams(MAX_CONCURRENT_STREAMS);
        connector = new LocalConnector(server, null, null, null, 0, factory);
        server.addConnector(connector);
        server.setHandler(proxy);
        server.setErrorHandler(new ServerRefusals(proxy));
    }

    /**
     * Refuses a stream whose {@code host} field is not {@code host[:port]} with 400, as the
     * proxy handler would: Jetty's compliance check, which runs after the customizers and before
     * the handler, otherwise throws on some of them (an unbalanced quote) and answers 500.
     */
    private static Request refuseBadHost(Request request, HttpFields.Mutable responseHeaders) {
        if (!Refusals.hostFieldsAreValid(request)) {
            throw new HttpException.RuntimeException(HttpStatus.BAD_REQUEST_400, "bad host");
        }
        return request;
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
