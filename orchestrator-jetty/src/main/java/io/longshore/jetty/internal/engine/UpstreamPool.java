package io.longshore.jetty.internal.engine;

import io.longshore.api.Endpoint;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;

/**
 * One worker's keep-alive connections to one replica: idle ones are reused last-in first-out,
 * at most {@code max} are open, and exchanges beyond that wait in line for the next one freed.
 * Confined to the worker's thread.
 */
final class UpstreamPool {
    private final ProxyWorker worker;
    private final Endpoint endpoint;
    private final InetSocketAddress address;
    private final byte[] hostLine;
    private final int max;
    private final ArrayDeque<UpstreamConnection> idle = new ArrayDeque<>();
    private final ArrayDeque<ProxyExchange> waiting = new ArrayDeque<>();
    private int open;

    UpstreamPool(ProxyWorker worker, Endpoint endpoint, int max) {
        this.worker = worker;
        this.endpoint = endpoint;
        this.address = new InetSocketAddress(endpoint.host(), endpoint.port());
        String host = endpoint.host().indexOf(':') >= 0 ? "[" + endpoint.host() + "]" : endpoint.host();
        this.hostLine = ("Host: " + host + ":" + endpoint.port() + "\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        this.max = max;
    }

    ProxyWorker worker() {
        return worker;
    }

    Endpoint endpoint() {
        return endpoint;
    }

    /** {@code Host: host:port\r\n} of the replica. */
    byte[] hostLine() {
        return hostLine;
    }

    /**
     * Gives {@code exchange} a connection: an idle one at once, a new one once connected, or
     * the next one freed. It then gets {@link ProxyExchange#upstreamReady} or
     * {@link ProxyExchange#connectFailed}.
     */
    void acquire(ProxyExchange exchange) {
        UpstreamConnection connection = idle.pollLast();
        while (connection != null && !connection.isOpen()) {
            connection = idle.pollLast();
        }
        if (connection != null) {
            exchange.upstreamReady(connection);
        } else if (open < max) {
            connect(exchange);
        } else {
            waiting.addLast(exchange);
            exchange.waitingForConnection();
        }
    }

    /** Like {@link #acquire} but never with an idle connection (the last one was stale). */
    void connectNew(ProxyExchange exchange) {
        if (open < max) {
            connect(exchange);
        } else {
            waiting.addFirst(exchange);
            exchange.waitingForConnection();
        }
    }

    /** An exchange that waits in line or for a connect gave up. */
    void cancel(ProxyExchange exchange, Connect connect) {
        waiting.remove(exchange);
        if (connect != null) {
            connect.exchange = null;
        }
    }

    /** A connection whose exchange finished cleanly comes back. */
    void release(UpstreamConnection connection) {
        ProxyExchange next = waiting.pollFirst();
        if (next != null) {
            next.upstreamReady(connection);
        } else {
            connection.attach(null);
            idle.addLast(connection);
        }
    }

    /** A connection closed (by either side); an exchange in line may open a new one. */
    void closed(UpstreamConnection connection) {
        idle.remove(connection);
        open--;
        ProxyExchange next = waiting.pollFirst();
        if (next != null) {
            connect(next);
        }
    }

    private void connect(ProxyExchange exchange) {
        open++;
        Connect connect = new Connect(this, exchange);
        exchange.connecting(connect);
        SocketChannel channel = null;
        try {
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (channel.connect(address)) {
                worker.accept(channel, connect);
            } else {
                worker.connect(channel, connect);
            }
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // already failing
                }
            }
            connectFailed(connect, e);
        }
    }

    /** The connection for {@code connect} is open. */
    void opened(Connect connect, UpstreamConnection connection) {
        ProxyExchange exchange = connect.exchange;
        connect.exchange = null;
        if (exchange != null) {
            exchange.upstreamReady(connection);
        } else {
            release(connection);
        }
    }

    /** Opening the connection for {@code connect} failed. */
    void connectFailed(Connect connect, Throwable failure) {
        open--;
        ProxyExchange exchange = connect.exchange;
        connect.exchange = null;
        if (exchange != null) {
            exchange.connectFailed(failure);
        } else if (!waiting.isEmpty() && open < max) {
            connect(waiting.pollFirst());
        }
    }

    /** Closes every idle connection (the engine stops). */
    void closeIdle() {
        for (UpstreamConnection connection : idle.toArray(new UpstreamConnection[0])) {
            connection.close();
        }
    }

    /** A connection being opened, and the exchange it is for until that gives up. */
    static final class Connect {
        final UpstreamPool pool;
        ProxyExchange exchange;

        Connect(UpstreamPool pool, ProxyExchange exchange) {
            this.pool = pool;
            this.exchange = exchange;
        }
    }
}
