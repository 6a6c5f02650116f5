package io.longshore.jetty;

import io.longshore.jetty.internal.admin.AdminErrorHandler;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A standalone {@link Gateway}'s admin API on a Jetty server and connector of its own: a few
 * threads of its own, Jetty's own refusals answered in the API's JSON, and no
 * {@code Server}, {@code Date} or {@code X-Powered-By} fields. Its {@link StandaloneListeners}
 * start and stop it.
 */
final class AdminServer {
    private static final int ADMIN_THREADS = 8;
    private final Server server;
    private final ServerConnector connector;

    /** The admin API {@code handler} on {@code host}:{@code port}, not started. */
    AdminServer(String host, int port, Handler handler) {
        QueuedThreadPool adminThreads = new QueuedThreadPool(ADMIN_THREADS, 2);
        adminThreads.setName("longshore-admin");
        server = new Server(adminThreads);
        server.setErrorHandler(new AdminErrorHandler()); // Jetty's own refusals in the API's JSON
        connector = connector(server, host, port);
        server.setHandler(handler);
    }

    private static ServerConnector connector(Server server, String host, int port) {
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(false);
        http.setSendXPoweredBy(false);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);
        return connector;
    }

    void start() throws Exception {
        server.start();
    }

    /** The port it listens on (the bound one when 0 was asked for). */
    int port() {
        return connector.getLocalPort();
    }

    void stop() throws Exception {
        server.stop();
    }
}
