package io.longshore.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The admin API answers only to the host names it knows: a page that re-points its own DNS name
 * at 127.0.0.1 (DNS rebinding) sends a matching {@code Host} and {@code Origin}, which the
 * cross-origin check alone let through.
 */
@ParameterizedClass
@EnumSource(Transport.class)
class GatewayAdminHostTest {
    @Parameter
    Transport transport;
    private TestGateway gateway;

    @AfterEach
    void close() {
        if (gateway != null) {
            gateway.close();
        }
    }

    /** Sends {@code request} as it is (Jetty's client would set its own Host) and reads the whole answer. */
    private String raw(String request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", gateway.adminPort())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private String get(String path, String host) throws Exception {
        return raw("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
    }

    @Test
    void aRebindingPagesMatchingHostAndOriginGet421AndChangeNothing() throws Exception {
        FakeOrchestrator acts = new FakeOrchestrator("acts", new RoundRobinTestRouter(TestSupport.closedPort()));
        gateway = transport.start(Gateway.builder().route("/", acts));
        String host = "rebound.example:" + gateway.adminPort();
        String body = "{\"replicas\": 4}";

        String scale = raw("POST /scale HTTP/1.1\r\nHost: " + host + "\r\nOrigin: http://" + host
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
                + "\r\nConnection: close\r\n\r\n" + body);
        String status = get("/status", host);

        assertThat(scale).startsWith("HTTP/1.1 421").contains("application/json").contains("{\"error\":");
        assertThat(status).startsWith("HTTP/1.1 421");
        assertThat(get("/", host)).as("the dashboard page too").startsWith("HTTP/1.1 421");
        assertThat(acts.scaleRequests).isEmpty();
        assertThat(acts.desired).isEqualTo(2);
    }

    /**
     * An absolute-form target's authority is the host a request names, whatever its {@code Host}
     * field says (RFC 9112 3.2.2): without a {@code Host} field (HTTP/1.0) it is checked in its
     * place, not waved through as a request that names no host.
     */
    @Test
    void anAbsoluteFormTargetsAuthorityIsTheHostChecked() throws Exception {
        gateway = transport.start(Gateway.builder().router(new RoundRobinTestRouter(TestSupport.closedPort())));
        int port = gateway.adminPort();

        assertThat(raw("GET http://rebound.example:" + port + "/status HTTP/1.0\r\n\r\n"))
                .startsWith("HTTP/1.1 421");
        assertThat(raw("GET http://localhost:" + port + "/status HTTP/1.0\r\n\r\n")).startsWith("HTTP/1.1 200");
    }

    @Test
    void loopbackNamesAnswerWithOrWithoutPortInAnyCase() throws Exception {
        gateway = transport.start(Gateway.builder().router(new RoundRobinTestRouter(TestSupport.closedPort())));
        int port = gateway.adminPort();

        for (String host : new String[] {"127.0.0.1:" + port, "127.0.0.1", "localhost:" + port, "LocalHost.",
                "[::1]:" + port, "[::1]"}) {
            assertThat(get("/status", host)).as(host).startsWith("HTTP/1.1 200");
        }
        // no Host at all: an HTTP/1.0 client, never a browser
        assertThat(raw("GET /healthz HTTP/1.0\r\n\r\n")).startsWith("HTTP/1.1 200");
    }

    @Test
    void namesAddedOnTheBuilderAnswerAndOthersStill421() throws Exception {
        gateway = transport.start(Gateway.builder().router(new RoundRobinTestRouter(TestSupport.closedPort()))
                .adminAllowedHosts("ops.internal", "10.1.2.3"));

        assertThat(get("/status", "ops.internal:" + gateway.adminPort())).startsWith("HTTP/1.1 200");
        assertThat(get("/status", "10.1.2.3")).startsWith("HTTP/1.1 200");
        assertThat(get("/status", "ops.internal.evil.example")).startsWith("HTTP/1.1 421");
    }

    @Test
    void aNameWithAPortOrSchemeIsRefusedByTheBuilder() {
        for (String name : new String[] {"ops:8081", "http://ops", " ", "a b"}) {
            assertThatThrownBy(() -> Gateway.builder().adminAllowedHosts(name)).as(name)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("adminAllowedHosts");
        }
    }
}
