package io.longshore.jetty.internal.engine;

import io.longshore.api.Clock;
import io.longshore.api.Endpoint;
import io.longshore.jetty.internal.codec.ResponseHead;
import io.longshore.jetty.internal.policy.ProxySettings;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SelectorManager;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.util.thread.Scheduler;
import io.longshore.jetty.internal.tls.TlsTerminator;
import java.net.InetSocketAddress;
import javax.net.ssl.SSLEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One event loop of the engine: a Jetty selector on a thread of its own that accepts clients
 * from the shared listening socket and opens the connections to replicas those clients need,
 * so both ends of every exchange are served by this thread. Holds the worker's connection
 * pools, buffers and parse scratch. Its state is confined to its thread; {@link #execute}
 * brings work from other threads onto it.
 */
final class ProxyWorker extends SelectorManager implements Executor {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyWorker.class);
    /** How often a worker lets go of the connection pools of replicas that left. */
    static final long POOL_SWEEP_MILLIS = 1000;

    private final EngineContext context;
    private final WorkerThread thread;
    private final BufferCache buffers = new BufferCache();
    private final ResponseHead responseHead = new ResponseHead(ProxySettings.MAX_RESPONSE_HEAD_BYTES);
    private final ByteBuffer scratch = ByteBuffer.allocateDirect(512);
    private final IoBuffer shared = new IoBuffer(BufferCache.LARGE);
    private UpstreamConnection sharedOwner;
    /** The attachment of a client accepted on the TLS listener. */
    private static final Object SECURE = new Object();
    private final UpstreamPools pools;
    /** The next sweep of the pools ({@link #sweepPools}); null while the worker is stopped. */
    private volatile Scheduler.Task poolSweep;
    private final Set<DownstreamConnection> clients = new LinkedHashSet<>();
    private final int connectionsPerBackend;
    private final RandomGenerator random;
    private final HeadDeadlines headDeadlines;
    /** The TLS listener's port: clients accepted there get TLS; -1 without one. */
    private final int tlsPort;

    /**
     * @param random  the worker's own generator (retry pauses), used on its thread only
     * @param tlsPort the TLS listener's port (-1 for none): its clients are served through TLS
     */
    ProxyWorker(EngineContext context, WorkerThread thread, int connectionsPerBackend, RandomGenerator random,
                int tlsPort) {
        super(thread, context.scheduler, 1);
        this.context = context;
        this.thread = thread;
        this.connectionsPerBackend = connectionsPerBackend;
        this.random = random;
        this.tlsPort = tlsPort;
        this.headDeadlines = new HeadDeadlines(this, context.settings.clock(), context.requestHeadTimeoutNanos);
        this.pools = new UpstreamPools(endpoint -> new UpstreamPool(this, endpoint, connectionsPerBackend));
        setConnectTimeout(context.settings.connectTimeout().toMillis());
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        planPoolSweep();
    }

    @Override
    protected void doStop() throws Exception {
        Scheduler.Task sweep = poolSweep;
        if (sweep != null) {
            sweep.cancel();
        }
        super.doStop();
    }

    @Override
    protected ManagedSelector newSelector(int id) {
        // the system clock, not the settings' one: the window is spun through in real time
        BusyPoll poll = new BusyPoll(context.busyPollNanos, Clock.system()::nanoTime);
        ManagedSelector selector = new BusyPollingSelector(this, id, poll);
        thread.selector(selector);
        return selector;
    }

    /** Runs {@code task} on this worker's thread: now when called there, soon otherwise. */
    @Override
    public void execute(Runnable task) {
        thread.execute(task);
    }

    /** Runs {@code task} on this worker's thread in the selector's next round, even when called from it. */
    void later(Runnable task) {
        thread.later(task);
    }

    /** Runs {@code task} on this worker's thread after {@code delayMillis}. */
    void schedule(Runnable task, long delayMillis) {
        context.scheduler.schedule(() -> execute(task), delayMillis, TimeUnit.MILLISECONDS);
    }

    EngineContext context() {
        return context;
    }

    /** The worker's own generator; its thread's only. */
    RandomGenerator random() {
        return random;
    }

    /** The client connections that wait for a request head or a handshake, and their deadlines. */
    HeadDeadlines headDeadlines() {
        return headDeadlines;
    }

    BufferCache buffers() {
        return buffers;
    }

    /** The worker's response head, parsed and used within one call on its thread. */
    ResponseHead responseHead() {
        return responseHead;
    }

    /** A small buffer for reads whose bytes are dropped. */
    ByteBuffer scratch() {
        return scratch.clear().flip();
    }

    /** The shared read buffer, empty, if no other connection holds it now; else null. */
    IoBuffer borrowShared(UpstreamConnection connection) {
        if (sharedOwner != null) {
            return null;
        }
        sharedOwner = connection;
        return shared.empty();
    }

    void returnShared(UpstreamConnection connection) {
        if (sharedOwner == connection) {
            sharedOwner = null;
            shared.empty();
        }
    }

    UpstreamPool pool(Endpoint endpoint) {
        return pools.get(endpoint);
    }

    private void planPoolSweep() {
        poolSweep = context.scheduler.schedule(() -> execute(this::sweepPools), POOL_SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Lets go of the pools of endpoints no route's router knows any more ({@link UpstreamPools#sweep}),
     * every {@link #POOL_SWEEP_MILLIS} while the worker runs; skipped when a router fails to say.
     */
    private void sweepPools() {
        if (!isRunning()) {
            return;
        }
        try {
            Set<Endpoint> known = context.knownEndpoints();
            if (known != null) {
                pools.sweep(known);
            }
        } finally {
            planPoolSweep();
        }
    }

    @Override
    protected void accepted(SelectableChannel channel) throws IOException {
        SocketChannel socket = (SocketChannel) channel;
        socket.configureBlocking(false);
        socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
        boolean secure = tlsPort >= 0 && socket.socket().getLocalPort() == tlsPort;
        accept(socket, secure ? SECURE : null);
    }

    @Override
    protected EndPoint newEndPoint(SelectableChannel channel, ManagedSelector selector, SelectionKey key) {
        return new SocketChannelEndPoint((SocketChannel) channel, selector, key, getScheduler());
    }

    @Override
    public Connection newConnection(SelectableChannel channel, EndPoint endPoint, Object attachment) {
        SocketChannelEndPoint socket = (SocketChannelEndPoint) endPoint;
        if (attachment instanceof UpstreamPool.Connect connect) {
            return new UpstreamConnection(connect.pool, socket);
        }
        if (attachment == SECURE) {
            return secureClient(socket);
        }
        DownstreamConnection client = new DownstreamConnection(this, socket, false);
        clients.add(client);
        return client;
    }

    /**
     * A client of the TLS listener: its handshake first ({@link TlsHandshake}), which calls
     * {@link #secured} when it is done.
     */
    private Connection secureClient(SocketChannelEndPoint socket) {
        TlsTerminator tls = context.tls;
        SSLEngine engine = tls.newEngine(socket.getRemoteSocketAddress() instanceof InetSocketAddress peer ? peer : null);
        return new TlsHandshake(this, socket, engine);
    }

    /**
     * The handshake of the client on {@code socket} is done: Jetty's {@link SslConnection} takes
     * the socket over, with the encrypted bytes that came after the handshake, and the client
     * connection sits on its decrypting end: an HTTP/2 one when the client chose {@code h2} by
     * ALPN, the engine's own otherwise.
     */
    void secured(SocketChannelEndPoint socket, SSLEngine engine) {
        SslConnection ssl = new SslConnection(context.tlsBuffers, this, socket, engine, true, true);
        ssl.setRenegotiationAllowed(false);
        EndPoint decrypted = ssl.getSslEndPoint();
        if (context.http2 != null && TlsTerminator.H2.equals(engine.getApplicationProtocol())) {
            decrypted.setConnection(context.http2.newConnection(decrypted));
        } else {
            DownstreamConnection client = new DownstreamConnection(this, decrypted, true);
            decrypted.setConnection(client);
            clients.add(client);
        }
        socket.upgrade(ssl);
    }

    @Override
    public void connectionOpened(Connection connection, Object attachment) {
        super.connectionOpened(connection, attachment);
        if (attachment instanceof UpstreamPool.Connect connect && connection instanceof UpstreamConnection upstream) {
            try {
                connect.pool.opened(connect, upstream);
            } catch (RuntimeException e) {
                upstream.fault(e);
            }
        }
    }

    @Override
    protected void connectionFailed(SelectableChannel channel, Throwable failure, Object attachment) {
        if (attachment instanceof UpstreamPool.Connect connect) {
            execute(() -> connect.pool.connectFailed(connect, failure));
        } else {
            LOG.debug("connection failed: {}", failure.toString());
        }
    }

    void clientClosed(DownstreamConnection client) {
        clients.remove(client);
    }

    /** Closes the connections of clients that wait for no response (the engine drains). */
    void closeIdleClients() {
        execute(() -> {
            for (DownstreamConnection client : clients.toArray(new DownstreamConnection[0])) {
                client.closeIfIdle();
            }
            pools.closeIdle();
        });
    }
}
