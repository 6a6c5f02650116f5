package io.longshore.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An {@code h2c} upgrade through the gateway, between the JDK's HttpClient (which asks to
 * upgrade its first plain-HTTP request when told to prefer HTTP/2) and a Jetty replica that
 * speaks h2c: the request reaches the replica with its {@code Upgrade} and
 * {@code HTTP2-Settings}, the replica switches, and the client's later requests on that
 * connection travel as HTTP/2 frames through the tunnel.
 */
@ParameterizedClass
@EnumSource(Transport.class)
class GatewayH2cTest {
    @Parameter
    Transport transport;
    private Server replica;
    private TestGateway gateway;

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (replica != null) {
            replica.stop();
        }
    }

    private int startReplica() throws Exception {
        replica = new Server();
        HttpConfiguration config = new HttpConfiguration();
        ServerConnector connector = new ServerConnector(replica, new HttpConnectionFactory(config),
                new HTTP2CServerConnectionFactory(config));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        replica.addConnector(connector);
        replica.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(org.eclipse.jetty.server.Request request, Response response, Callback callback) {
                response.write(true, java.nio.ByteBuffer.wrap((request.getHttpURI().getPath() + " over "
                        + request.getConnectionMetaData().getProtocol()).getBytes()), callback);
                return true;
            }
        });
        replica.start();
        return connector.getLocalPort();
    }

    @Test
    void anH2cUpgradeSwitchesTheConnectionAndLaterRequestsTravelAsHttp2() throws Exception {
        gateway = transport.start(Gateway.builder().router(new RoundRobinTestRouter(startReplica()))
                .shutdownTimeout(Duration.ofSeconds(1)), ConnectorSettings.ONE_LOOP);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        URI base = URI.create("http://127.0.0.1:" + gateway.port());

        HttpResponse<String> first = client.send(HttpRequest.newBuilder(base.resolve("/first")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> second = client.send(HttpRequest.newBuilder(base.resolve("/second")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(first.body()).isEqualTo("/first over HTTP/2.0");
        assertThat(second.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(second.body()).isEqualTo("/second over HTTP/2.0");
        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.meterRegistry()
                .get("longshore.gateway.tunnels").gauge().value() == 1.0);
    }
}
