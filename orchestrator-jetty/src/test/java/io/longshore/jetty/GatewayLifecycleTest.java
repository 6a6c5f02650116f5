package io.longshore.jetty;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.longshore.api.ConfigurationException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GatewayLifecycleTest {
    private static WireMockServer backend;
    private static HttpClient client;

    @BeforeAll
    static void startBackend() {
        backend = TestSupport.wireMock();
        backend.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("hello")));
        client = TestSupport.client();
    }

    @AfterAll
    static void stopBackend() {
        TestSupport.stop(client);
        backend.stop();
    }

    @Test
    void startAndCloseAreIdempotentAndCloseOnlyTheOrchestratorsTheGatewayOwns() {
        FakeOrchestrator owned = new FakeOrchestrator("owned", new RoundRobinTestRouter(backend.port()));
        FakeOrchestrator borrowed = new FakeOrchestrator("borrowed", new RoundRobinTestRouter(backend.port()));
        Gateway gateway = Gateway.builder().port(0).adminPort(0)
                .route("/a", owned, Ownership.OWNED).route("/b", borrowed).build();

        gateway.start();
        gateway.start();
        int port = gateway.port();
        gateway.close();
        gateway.close();

        assertThat(port).isPositive();
        assertThat(owned.starts).hasValue(1);
        assertThat(owned.closes).hasValue(1);
        assertThat(borrowed.starts).hasValue(0);
        assertThat(borrowed.closes).hasValue(0);
        assertThatThrownBy(gateway::start).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void closeLetsInFlightRequestsFinish() throws Exception {
        backend.stubFor(any(anyUrl()).atPriority(1).willReturn(aResponse().withStatus(200).withBody("late")
                .withFixedDelay(800)));
        try {
            Gateway gateway = Gateway.builder().port(0).adminEnabled(false)
                    .router(new RoundRobinTestRouter(backend.port())).shutdownTimeout(Duration.ofSeconds(5)).build()
                    .start();
            int before = backend.getAllServeEvents().size();
            CompletableFuture<ContentResponse> inFlight = new CompletableResponseListener(
                    TestSupport.to(client, gateway, "/late")).send();
            await().atMost(Duration.ofSeconds(5)).until(() -> backend.getAllServeEvents().size() > before);

            gateway.close();

            ContentResponse response = inFlight.get(5, TimeUnit.SECONDS);
            assertThat(response.getStatus()).isEqualTo(200);
            assertThat(response.getContentAsString()).isEqualTo("late");
        } finally {
            backend.resetMappings();
            backend.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("hello")));
        }
    }

    @Test
    void theProxyHandlerCanBeMountedInAHostsOwnServer() throws Exception {
        Gateway gateway = Gateway.builder().embedded().router(new RoundRobinTestRouter(backend.port())).build().start();
        Server host = new Server();
        ServerConnector connector = new ServerConnector(host);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        host.addConnector(connector);
        host.setHandler(gateway.handler());
        host.start();
        try {
            ContentResponse response = client.newRequest("http://127.0.0.1:" + connector.getLocalPort() + "/x").send();

            assertThat(response.getStatus()).isEqualTo(200);
            assertThat(response.getContentAsString()).isEqualTo("hello");
            assertThat(gateway.port()).isEqualTo(-1);
        } finally {
            host.stop();
            gateway.close();
        }
    }

    @Test
    void theBuilderNamesEveryBadSetting() {
        GatewayBuilder builder = Gateway.builder();

        assertThatThrownBy(() -> builder.port(-1)).hasMessageContaining("port");
        assertThatThrownBy(() -> builder.adminPort(70_000)).hasMessageContaining("adminPort");
        assertThatThrownBy(() -> builder.retryBudget(1.5)).hasMessageContaining("retryBudget");
        assertThatThrownBy(() -> builder.maxConcurrentRequests(0)).hasMessageContaining("maxConcurrentRequests");
        assertThatThrownBy(() -> builder.responseTimeout(Duration.ZERO)).hasMessageContaining("responseTimeout");
        assertThatThrownBy(() -> builder.bearerToken(" ")).hasMessageContaining("bearerToken");
        assertThatThrownBy(() -> builder.route("api", new RoundRobinTestRouter().toString(), new RoundRobinTestRouter()))
                .hasMessageContaining("prefix");
        assertThatThrownBy(builder::build).isInstanceOf(ConfigurationException.class).hasMessageContaining("route");
        assertThatThrownBy(() -> Gateway.builder().router(new RoundRobinTestRouter())
                .router(new RoundRobinTestRouter()).build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("prefix");
    }

    @Test
    void startFailsWithAClearErrorWhenThePortIsTaken() {
        try (Gateway first = Gateway.builder().port(0).adminEnabled(false)
                .router(new RoundRobinTestRouter(backend.port())).build().start()) {
            Gateway second = Gateway.builder().port(first.port()).adminEnabled(false)
                    .router(new RoundRobinTestRouter(backend.port())).build();

            assertThatThrownBy(second::start).hasMessageContaining("failed to start on 127.0.0.1:" + first.port());
        }
    }
}
