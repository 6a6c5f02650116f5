package io.longshore.jetty.internal.engine;

import io.longshore.api.Endpoint;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * One worker's keep-alive connections to one replica: idle ones are reused last-in first-out,
 * at most {@code max} are open, and attempts beyond that wait in line for the next one freed.
 * Confined to the worker's thread.
 */
final class UpstreamPool {
    private final ProxyWorker worker;
    private final Endpoint endpoint;
    private final InetSocketAddress address;
    private final byte[] hostLine;
    private final int max;
    private final ArrayDeque<UpstreamConnection> idle = new ArrayDeque<>();
    private final ArrayDeque<ReplicaAttempt> waiting = new ArrayDeque<>();
    private int open;
    /** Whether {@link #serveLine} is under way (a connect failing at once re-enters it). */
    private boolean serving;

    UpstreamPool(ProxyWorker worker, Endpoint endpoint, int max) {
        this.worker = worker;
        this.endpoint = endpoint;
        this.address = new InetSocketAddress(endpoint.host(), endpoint.port());
        this.hostLine = ("Host: " + endpoint.authority() + "\r\n").getBytes(StandardCharsets.US_ASCII);
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
     * Gives {@code attempt} a connection: an idle one at once, a new one once connected, or
     * the next one freed. It then gets {@link ReplicaAttempt#upstreamReady} or
     * {@link ReplicaAttempt#connectFailed}.
     */
    void acquire(ReplicaAttempt attempt) {
        UpstreamConnection connection = idle.pollLast();
        while (connection != null && !connection.isOpen()) {
            connection = idle.pollLast();
        }
        if (connection != null) {
            attempt.upstreamReady(connection);
        } else if (open < max) {
            connect(attempt);
        } else {
            waiting.addLast(attempt);
            attempt.waitingForConnection();
        }
    }

    /** Like {@link #acquire} but never with an idle connection (the last one was stale). */
    void connectNew(ReplicaAttempt attempt) {
        if (open < max) {
            connect(attempt);
        } else {
            waiting.addFirst(attempt);
            attempt.waitingForConnection();
        }
    }

    /** An attempt that waits in line or for a connect gave up. */
    void cancel(ReplicaAttempt attempt, Connect connect) {
        waiting.remove(attempt);
        if (connect != null) {
            connect.attempt = null;
        }
    }

    /** A connection whose attempt finished cleanly comes back. */
    void release(UpstreamConnection connection) {
        ReplicaAttempt next = waiting.pollFirst();
        if (next != null) {
            next.upstreamReady(connection);
        } else {
            connection.attach(null);
            idle.addLast(connection);
        }
    }

    /** A connection became a tunnel: it is no longer the pool's (nor counted against its size). */
    void detach(UpstreamConnection connection) {
        idle.remove(connection);
        open--;
        serveLine();
    }

    /** A connection closed (by either side); an attempt in line may open a new one (not while the engine stops). */
    void closed(UpstreamConnection connection) {
        idle.remove(connection);
        open--;
        serveLine();
    }

    /**
     * Opens connections for the attempts in line while there is room (not while the engine
     * stops). A loop, not a recursion: a connect that fails at once (a refused loopback port)
     * frees its place within {@link #connect}, and the next attempt in line takes it here.
     */
    private void serveLine() {
        if (serving) {
            return;
        }
        serving = true;
        try {
            while (!waiting.isEmpty() && open < max && worker.isRunning()) {
                connect(waiting.pollFirst());
            }
        } finally {
            serving = false;
        }
    }

    private void connect(ReplicaAttempt attempt) {
        open++;
        Connect connect = new Connect(this, attempt);
        attempt.connecting(connect);
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
        ReplicaAttempt attempt = connect.attempt;
        connect.attempt = null;
        if (attempt != null) {
            attempt.upstreamReady(connection);
        } else {
            release(connection);
        }
    }

    /**
     * Opening the connection for {@code connect} failed: its attempt hears of it, and the place
     * it took goes to the next attempt in line (which would otherwise wait out its connect
     * timeout beside a free place).
     */
    void connectFailed(Connect connect, Throwable failure) {
        open--;
        ReplicaAttempt attempt = connect.attempt;
        connect.attempt = null;
        if (attempt != null) {
            attempt.connectFailed(failure);
        }
        serveLine();
    }

    /** Whether the pool holds no connection (open, being opened or idle) and no attempt waits in its line. */
    boolean isUnused() {
        return open == 0 && waiting.isEmpty();
    }

    /** Closes every idle connection (the engine stops, or the replica is gone). */
    void closeIdle() {
        for (UpstreamConnection connection : idle.toArray(new UpstreamConnection[0])) {
            connection.close();
        }
    }

    /** A connection being opened, and the attempt it is for until that gives up. */
    static final class Connect {
        final UpstreamPool pool;
        ReplicaAttempt attempt;

        Connect(UpstreamPool pool, ReplicaAttempt attempt) {
            this.pool = pool;
            this.attempt = attempt;
        }
    }
}
