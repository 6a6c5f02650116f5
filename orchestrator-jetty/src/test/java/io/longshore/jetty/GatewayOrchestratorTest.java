package io.longshore.jetty;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.longshore.api.Clock;
import io.longshore.api.ContainerSpec;
import io.longshore.api.Endpoint;
import io.longshore.api.LoadBalancingStrategy;
import io.longshore.core.Orchestrator;
import io.longshore.core.Router;
import io.longshore.core.Routers;
import io.longshore.testkit.FakeContainerRuntime;
import io.longshore.testkit.RecordedRequest;
import io.longshore.testkit.ScriptedServiceRuntime;
import java.time.Duration;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The gateway in front of the real orchestrator and router (replicas are the test kit's scripted
 * service, on the ports the orchestrator picks), and in front of {@link Routers#fixed}.
 */
@ParameterizedClass
@EnumSource(Transport.class)
class GatewayOrchestratorTest {
    @Parameter
    Transport transport;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void sixRequestsOverTwoFixedBackendsGoThreeToEachAndAreCountedInReplicas() throws Exception {
        WireMockServer a = TestSupport.wireMock();
        WireMockServer b = TestSupport.wireMock();
        HttpClient client = TestSupport.client();
        for (WireMockServer server : java.util.List.of(a, b)) {
            server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("ok")));
        }
        Router router = Routers.fixed(java.util.List.of(Endpoint.loopback(a.port()), Endpoint.loopback(b.port())),
                LoadBalancingStrategy.roundRobin(), Clock.system());
        try (TestGateway gateway = transport.start(Gateway.builder().router(router))) {
            for (int i = 0; i < 6; i++) {
                assertThat(TestSupport.to(client, gateway, "/rr").send().getStatus()).isEqualTo(200);
            }

            a.verify(3, getRequestedFor(urlEqualTo("/rr")));
            b.verify(3, getRequestedFor(urlEqualTo("/rr")));
            JsonNode replicas = JSON.readTree(client.GET("http://127.0.0.1:" + gateway.adminPort() + "/replicas")
                    .getContent());
            assertThat(replicas).hasSize(2);
            for (JsonNode replica : replicas) {
                assertThat(replica.get("id").asText()).isEqualTo("127.0.0.1:" + replica.get("port").asInt());
                assertThat(replica.get("state").asText()).isEqualTo("READY");
                assertThat(replica.get("requests").asLong()).isEqualTo(3);
            }
        } finally {
            TestSupport.stop(client);
            a.stop();
            b.stop();
        }
    }

    @Test
    void sixRequestsOverTwoReadyReplicasGoThreeToEachAndAreCountedInReplicas() throws Exception {
        int base = TestSupport.twoFreePorts();
        ScriptedServiceRuntime service = ScriptedServiceRuntime.answering("ok");
        HttpClient client = TestSupport.client();
        Orchestrator orchestrator = Orchestrator.builder()
                .service(ContainerSpec.builder("acts").image("acts:test").build())
                .runtime(service).minReplicas(2).maxReplicas(2).basePort(base)
                .probeInterval(Duration.ofMillis(100)).probeTimeout(Duration.ofSeconds(5))
                .startGracePeriod(Duration.ofMillis(1))
                .drainTimeout(Duration.ofMillis(100)).build();
        try (TestGateway gateway = transport.start(Gateway.builder()
                .route("/", orchestrator, Ownership.OWNED))) {
            String admin = "http://127.0.0.1:" + gateway.adminPort();
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    JSON.readTree(client.GET(admin + "/status").getContent()).get("ready").asInt() == 2);

            for (int i = 0; i < 6; i++) {
                assertThat(TestSupport.to(client, gateway, "/api/v1/acts").send().getStatus()).isEqualTo(200);
            }

            for (int port : new int[] {base, base + 1}) {
                assertThat(service.backend(port).requests()).extracting(RecordedRequest::target)
                        .filteredOn("/api/v1/acts"::equals).hasSize(3);
            }
            JsonNode replicas = JSON.readTree(client.GET(admin + "/replicas").getContent());
            assertThat(replicas).hasSize(2);
            for (JsonNode replica : replicas) {
                assertThat(replica.get("state").asText()).isEqualTo("READY");
                assertThat(replica.get("requests").asLong()).isEqualTo(3);
            }
        } finally {
            TestSupport.stop(client);
            service.close();
        }
    }

    @Test
    void postScaleAnswersWithTheCountJustSetNotTheOneBeforeIt() throws Exception {
        HttpClient client = TestSupport.client();
        Orchestrator orchestrator = Orchestrator.builder()
                .service(ContainerSpec.builder("acts").image("acts:test").build())
                .runtime(new FakeContainerRuntime()).minReplicas(1).maxReplicas(3).basePort(23_990).build();
        try (TestGateway gateway = transport.start(Gateway.builder()
                .route("/", orchestrator, Ownership.OWNED))) {
            String scale = "http://127.0.0.1:" + gateway.adminPort() + "/scale";

            JsonNode clamped = JSON.readTree(client.POST(scale).body(
                    new org.eclipse.jetty.client.StringRequestContent("{\"replicas\": 7}")).send().getContent());
            JsonNode two = JSON.readTree(client.POST(scale).body(
                    new org.eclipse.jetty.client.StringRequestContent("{\"replicas\": 2}")).send().getContent());

            assertThat(clamped.get("desired").asInt()).isEqualTo(3);
            assertThat(two.get("desired").asInt()).isEqualTo(2);
            await().atMost(Duration.ofSeconds(5)).until(() -> orchestrator.status().desired() == 2);
        } finally {
            TestSupport.stop(client);
        }
    }
}
