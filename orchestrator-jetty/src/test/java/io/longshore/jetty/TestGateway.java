package io.longshore.jetty;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A started gateway for a test, whichever its {@link Transport}: standalone on its own
 * connectors, or embedded in host servers of the test's (one for the proxy, one for the admin
 * API), each on a free loopback port. Closing it closes the gateway and its host servers.
 */
final class TestGateway implements AutoCloseable {
    private final Transport transport;
    private final Gateway gateway;
    private final Server host;
    private final Server adminHost;

    private TestGateway(Transport transport, Gateway gateway, Server host, Server adminHost) {
        this.transport = transport;
        this.gateway = gateway;
        this.host = host;
        this.adminHost = adminHost;
    }

    static TestGateway start(Transport transport, GatewayBuilder builder, ConnectorSettings connector) {
        if (transport == Transport.STANDALONE) {
            Gateway gateway = connector.applyTo(builder.port(0).adminPort(0)).build().start();
            return new TestGateway(transport, gateway, null, null);
        }
        Gateway gateway = builder.embedded().build().start();
        Server host = null;
        Server adminHost = null;
        try {
            host = server(gateway.handler(), connector);
            adminHost = server(gateway.adminHandler(), ConnectorSettings.DEFAULTS);
            return new TestGateway(transport, gateway, host, adminHost);
        } catch (Exception e) {
            stop(host);
            stop(adminHost);
            gateway.close();
            throw new IllegalStateException("host server failed to start", e);
        }
    }

    /** A host server on a free loopback port serving {@code handler}, as a user embedding the gateway sets one up. */
    private static Server server(Handler handler, ConnectorSettings settings) throws Exception {
        Server server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(false);
        if (settings.maxHeaderBytes() != null) {
            http.setRequestHeaderSize(settings.maxHeaderBytes());
        }
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        if (settings.clientIdleTimeout() != null) {
            connector.setIdleTimeout(settings.clientIdleTimeout().toMillis());
        }
        server.addConnector(connector);
        server.setHandler(handler);
        server.start();
        return server;
    }

    Transport transport() {
        return transport;
    }

    Gateway gateway() {
        return gateway;
    }

    /** Where the proxy takes requests. */
    int port() {
        return host == null ? gateway.port() : ((ServerConnector) host.getConnectors()[0]).getLocalPort();
    }

    /** Where the admin API answers. */
    int adminPort() {
        return adminHost == null ? gateway.adminPort() : ((ServerConnector) adminHost.getConnectors()[0]).getLocalPort();
    }

    PrometheusMeterRegistry meterRegistry() {
        return gateway.meterRegistry();
    }

    /**
     * Closes the gateway (letting requests in flight finish up to its shutdown timeout), then the
     * host servers, at once.
     */
    @Override
    public void close() {
        gateway.close();
        stop(host);
        stop(adminHost);
    }

    private static void stop(Server server) {
        if (server == null) {
            return;
        }
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("host server failed to stop", e);
        }
    }

    @Override
    public String toString() {
        return transport + " gateway on 127.0.0.1:" + port();
    }
}
