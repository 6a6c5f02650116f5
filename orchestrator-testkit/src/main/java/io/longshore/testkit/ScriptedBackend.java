package io.longshore.testkit;

import io.longshore.api.Endpoint;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP/1.1 replica on loopback whose every answer a test scripts, in the spirit of OkHttp's
 * MockWebServer: {@link #enqueue queue} {@link ScriptedResponse responses} to be sent in order,
 * or answer every request with a {@link Dispatcher}; responses may be delayed, throttled, cut
 * off by a connection reset or followed by a close. Every request is {@link #requests()
 * recorded} with its head as sent and its body. Plain JDK sockets, a thread per connection, keep
 * alive until the script closes; no HTTP library in between, so a test sees exactly what a
 * proxy sent and gets exactly the bytes it scripted.
 *
 * <pre>{@code
 * try (ScriptedBackend replica = ScriptedBackend.start()) {
 *     replica.enqueue(ScriptedResponse.status(503));
 *     replica.enqueue(ScriptedResponse.ok("second time lucky"));
 *     // send requests to replica.port() or replica.endpoint() ...
 *     assertThat(replica.requests()).extracting(RecordedRequest::target).containsExactly("/a", "/a");
 * }
 * }</pre>
 *
 * Thread-safe.
 */
public final class ScriptedBackend implements AutoCloseable {
    /** Chooses the response to each request; may block (to hold a request until a test lets it go). */
    @FunctionalInterface
    public interface Dispatcher {
        ScriptedResponse dispatch(RecordedRequest request) throws Exception;
    }

    /** What a backend answers when its queue is empty and it has no dispatcher of its own. */
    public static final ScriptedResponse WHEN_QUEUE_EMPTY = ScriptedResponse.ok("");

    private final ServerSocket server;
    private final Dispatcher dispatcher;
    private final boolean readsBodies;
    private final ConcurrentLinkedQueue<ScriptedResponse> queue = new ConcurrentLinkedQueue<>();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger sequence = new AtomicInteger();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Thread acceptor;
    /** How long {@link #close()} waits for the accepting thread to let the port go. */
    private static final long ACCEPTOR_EXIT_TIMEOUT_MILLIS = 5_000;

    private ScriptedBackend(ServerSocket server, Dispatcher dispatcher, boolean readsBodies) {
        this.server = server;
        this.dispatcher = dispatcher;
        this.readsBodies = readsBodies;
        this.acceptor = new Thread(this::accept, "scripted-backend-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A backend on a free loopback port that answers with the {@link #enqueue queued} responses, in order. */
    public static ScriptedBackend start() {
        return start(null);
    }

    /** A backend on a free loopback port that answers every request as {@code dispatcher} says. */
    public static ScriptedBackend start(Dispatcher dispatcher) {
        return onPort(0, dispatcher);
    }

    /** A backend on a free loopback port that answers every request {@code 200} with {@code body}. */
    public static ScriptedBackend answering(String body) {
        ScriptedResponse response = ScriptedResponse.ok(body);
        return start(request -> response);
    }

    /**
     * A backend that answers right after a request's head, leaving its body unread, as a replica
     * that refuses a request before reading it does ({@link RecordedRequest#body()} is empty).
     */
    public static ScriptedBackend ignoringBodies(Dispatcher dispatcher) {
        return open(0, Objects.requireNonNull(dispatcher, "dispatcher"), false);
    }

    /**
     * A backend on {@code port} of 127.0.0.1 (0 for a free one).
     *
     * @param dispatcher {@code null} to answer with the queued responses
     * @throws UncheckedIOException when the port is taken
     */
    public static ScriptedBackend onPort(int port, Dispatcher dispatcher) {
        return open(port, dispatcher, true);
    }

    private static ScriptedBackend open(int port, Dispatcher dispatcher, boolean readsBodies) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be in 0..65535, was " + port);
        }
        try {
            ServerSocket server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
            return new ScriptedBackend(server, dispatcher, readsBodies);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port, e);
        }
    }

    /** Queues {@code response} for the next request without one (the queue is used when no dispatcher was given). */
    public ScriptedBackend enqueue(ScriptedResponse response) {
        queue.add(Objects.requireNonNull(response, "response"));
        return this;
    }

    public int port() {
        return server.getLocalPort();
    }

    public Endpoint endpoint() {
        return Endpoint.loopback(port());
    }

    /** Every request received so far, in the order they arrived. */
    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /** Connections accepted so far. */
    public int connections() {
        return connections.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                sockets.add(socket);
                int number = connections.incrementAndGet();
                Thread serving = new Thread(() -> serve(socket, number), "scripted-backend-connection-" + number);
                serving.setDaemon(true);
                serving.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket, int connection) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            while (true) {
                String head = HttpStreams.head(in);
                if (head == null) {
                    return;
                }
                byte[] body = readsBodies ? HttpStreams.body(in, head) : new byte[0];
                RecordedRequest request = new RecordedRequest(head, body, connection, sequence.incrementAndGet());
                requests.add(request);
                if (!answer(socket, out, request)) {
                    return;
                }
            }
        } catch (IOException e) {
            // the client went away, or the backend closed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sends the scripted response; false when the connection must end. */
    private boolean answer(Socket socket, OutputStream out, RecordedRequest request)
            throws IOException, InterruptedException {
        ScriptedResponse response = responseTo(request);
        Thread.sleep(response.delay().toMillis());
        if (response.ending() == ScriptedResponse.Ending.NO_ANSWER) {
            closing.await();
            return false;
        }
        byte[] bytes = response.bytes(request.method().equals("HEAD"));
        int limit = response.resetAfterBytes() >= 0 ? Math.min(bytes.length, response.resetAfterBytes()) : bytes.length;
        int part = response.partBytes() > 0 ? response.partBytes() : Math.max(1, limit);
        for (int at = 0; at < limit; at += part) {
            if (at > 0) {
                Thread.sleep(response.partPause().toMillis());
            }
            out.write(bytes, at, Math.min(part, limit - at));
            out.flush();
        }
        if (response.ending() == ScriptedResponse.Ending.RESET) {
            socket.setSoLinger(true, 0);
            return false;
        }
        return response.ending() == ScriptedResponse.Ending.KEEP_ALIVE;
    }

    private ScriptedResponse responseTo(RecordedRequest request) throws InterruptedException {
        if (dispatcher == null) {
            ScriptedResponse queued = queue.poll();
            return queued != null ? queued : WHEN_QUEUE_EMPTY;
        }
        try {
            return Objects.requireNonNull(dispatcher.dispatch(request), "the dispatcher's response");
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            return ScriptedResponse.status(500).withBody("dispatcher failed: " + e);
        }
    }

    /** Stops accepting and closes every connection (a request held by a dispatcher is cut off). */
    @Override
    public void close() {
        closing.countDown();
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        awaitAcceptorEnd();
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    /**
     * Waits for the accepting thread to leave {@code accept()}: while it is blocked there the JDK
     * only pre-closes the listening socket and the kernel keeps the port bound, so a replica
     * started on the same port right after {@link #close()} would find it in use.
     */
    private void awaitAcceptorEnd() {
        if (Thread.currentThread() == acceptor) {
            return;
        }
        try {
            acceptor.join(ACCEPTOR_EXIT_TIMEOUT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "scripted backend on 127.0.0.1:" + port() + " (" + requests.size() + " requests)";
    }
}
