package io.longshore.jetty;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * A replica speaking WebSocket on {@code /echo} (Jetty's WebSocket server): echoes every text
 * and binary message, closes with code {@code N} and reason {@code done} when told
 * {@code close:N}, and records the close codes its clients send. Answers 404 on other paths.
 */
public final class EchoWebSocketServer implements AutoCloseable {
    static final int MAX_MESSAGE = 4 << 20;
    private final Server server = new Server();
    private final ServerConnector connector = new ServerConnector(server);
    private final List<Integer> closeCodes = new CopyOnWriteArrayList<>();
    private final List<Session> sessions = new CopyOnWriteArrayList<>();

    EchoWebSocketServer() throws Exception {
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(WebSocketUpgradeHandler.from(server, container -> {
            container.setMaxTextMessageSize(MAX_MESSAGE);
            container.setMaxBinaryMessageSize(MAX_MESSAGE);
            container.setIdleTimeout(Duration.ofMinutes(1));
            container.addMapping("/echo", (request, response, callback) -> new Echo(this));
        }));
        server.start();
    }

    int port() {
        return connector.getLocalPort();
    }

    /** The close codes clients sent, in the order they came. */
    List<Integer> closeCodes() {
        return closeCodes;
    }

    /** Sessions open now. */
    long openSessions() {
        return sessions.stream().filter(Session::isOpen).count();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    /** Public, as Jetty calls its methods through method handles. */
    public static final class Echo implements Session.Listener.AutoDemanding {
        private final EchoWebSocketServer server;
        private Session session;

        Echo(EchoWebSocketServer server) {
            this.server = server;
        }

        @Override
        public void onWebSocketOpen(Session opened) {
            this.session = opened;
            server.sessions.add(opened);
        }

        @Override
        public void onWebSocketText(String message) {
            if (message.startsWith("close:")) {
                session.close(Integer.parseInt(message.substring(6)), "done", Callback.NOOP);
            } else {
                session.sendText(message, Callback.NOOP);
            }
        }

        @Override
        public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
            ByteBuffer copy = ByteBuffer.allocate(payload.remaining()).put(payload).flip();
            callback.succeed();
            session.sendBinary(copy, Callback.NOOP);
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason) {
            server.closeCodes.add(statusCode);
            server.sessions.remove(session);
        }
    }
}
