package io.longshore.jetty;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.longshore.api.ReplicaState;
import io.longshore.core.ReplicaView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code POST /replicas/{id}/drain} and {@code /replace}: answers, errors and the token. */
@ParameterizedClass
@EnumSource(Transport.class)
class GatewayReplicaActionsTest {
    @Parameter
    Transport transport;
    private static final Instant T0 = Instant.parse("2026-01-02T03:04:05Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static WireMockServer backend;
    private static HttpClient client;
    private TestGateway gateway;
    private FakeOrchestrator acts;

    @BeforeAll
    static void startBackend() {
        backend = TestSupport.wireMock();
        backend.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("ok")));
        client = TestSupport.client();
    }

    @AfterAll
    static void stopBackend() {
        TestSupport.stop(client);
        backend.stop();
    }

    @AfterEach
    void closeGateway() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private void startActs(GatewayBuilder builder) {
        acts = new FakeOrchestrator("acts", new RoundRobinTestRouter(backend.port()));
        acts.replicas = List.of(
                new ReplicaView("acts-8000-1", "c0", 8000, ReplicaState.READY, true, 3, 0, T0, 0),
                new ReplicaView("acts-8001-2", "c1", 8001, ReplicaState.DRAINING, true, 1, 1, T0, 0));
        gateway = transport.start(builder.route("/", acts));
    }

    private ContentResponse post(String path, String token) throws Exception {
        var request = client.newRequest("http://127.0.0.1:" + gateway.adminPort() + path).method("POST");
        if (token != null) {
            request.headers(h -> h.put("Authorization", "Bearer " + token));
        }
        return request.send();
    }

    private static JsonNode json(ContentResponse response) throws Exception {
        assertThat(response.getMediaType()).isEqualTo("application/json");
        return JSON.readTree(response.getContent());
    }

    @Test
    void drainingAReplicaAnswers202WithServiceReplicaAndAction() throws Exception {
        startActs(Gateway.builder());

        ContentResponse response = post("/replicas/acts-8000-1/drain", null);

        assertThat(response.getStatus()).isEqualTo(202);
        JsonNode body = json(response);
        assertThat(fieldNames(body)).containsExactly("service", "replica", "action");
        assertThat(body.get("service").asText()).isEqualTo("acts");
        assertThat(body.get("replica").asText()).isEqualTo("acts-8000-1");
        assertThat(body.get("action").asText()).isEqualTo("drain");
        assertThat(acts.drains).containsExactly("acts-8000-1");
        assertThat(acts.replaces).isEmpty();
    }

    @Test
    void replacingAReplicaAnswers202AndCallsReplace() throws Exception {
        startActs(Gateway.builder());

        ContentResponse response = post("/replicas/acts-8000-1/replace?service=acts", null);

        assertThat(response.getStatus()).isEqualTo(202);
        assertThat(json(response).get("action").asText()).isEqualTo("replace");
        assertThat(acts.replaces).containsExactly("acts-8000-1");
        assertThat(acts.drains).isEmpty();
    }

    @Test
    void anUnknownReplicaIs404AndNothingIsCalled() throws Exception {
        startActs(Gateway.builder());

        ContentResponse drain = post("/replicas/acts-9000-7/drain", null);
        ContentResponse replace = post("/replicas/acts-9000-7/replace?service=acts", null);

        assertThat(drain.getStatus()).isEqualTo(404);
        assertThat(json(drain).get("error").asText()).contains("acts-9000-7");
        assertThat(replace.getStatus()).isEqualTo(404);
        assertThat(acts.drains).isEmpty();
        assertThat(acts.replaces).isEmpty();
    }

    @Test
    void anUnknownServiceIs404() throws Exception {
        startActs(Gateway.builder());

        ContentResponse response = post("/replicas/acts-8000-1/drain?service=nope", null);

        assertThat(response.getStatus()).isEqualTo(404);
        assertThat(json(response).get("error").asText()).contains("unknown service 'nope'");
    }

    @Test
    void aReplicaAlreadyLeavingIs409() throws Exception {
        startActs(Gateway.builder());

        ContentResponse drain = post("/replicas/acts-8001-2/drain", null);
        ContentResponse replace = post("/replicas/acts-8001-2/replace", null);

        assertThat(drain.getStatus()).isEqualTo(409);
        assertThat(json(drain).get("error").asText()).contains("already leaving");
        assertThat(replace.getStatus()).isEqualTo(409);
    }

    @Test
    void fixedBackendsAre409() throws Exception {
        gateway = transport.start(Gateway.builder().router(new RoundRobinTestRouter(backend.port()))
                );

        ContentResponse response = post("/replicas/replica-" + backend.port() + "/drain", null);

        assertThat(response.getStatus()).isEqualTo(409);
        assertThat(json(response).get("error").asText()).contains("fixed backends");
        assertThat(post("/replicas/replica-1/replace", null).getStatus()).isEqualTo(404);
    }

    @Test
    void anotherMethodIs405() throws Exception {
        startActs(Gateway.builder());

        ContentResponse response = client.newRequest("http://127.0.0.1:" + gateway.adminPort()
                + "/replicas/acts-8000-1/drain").send();

        assertThat(response.getStatus()).isEqualTo(405);
        assertThat(acts.drains).isEmpty();
    }

    @Test
    void theBearerTokenIsRequired() throws Exception {
        startActs(Gateway.builder().bearerToken("s3cret"));

        assertThat(post("/replicas/acts-8000-1/drain", null).getStatus()).isEqualTo(401);
        assertThat(post("/replicas/acts-8000-1/drain", "wrong").getStatus()).isEqualTo(401);
        assertThat(acts.drains).isEmpty();
        assertThat(post("/replicas/acts-8000-1/drain", "s3cret").getStatus()).isEqualTo(202);
        assertThat(acts.drains).containsExactly("acts-8000-1");
    }

    @Test
    void withoutAServiceParameterTheReplicaIsFoundInWhicheverServiceHoldsIt() throws Exception {
        FakeOrchestrator api = new FakeOrchestrator("api", new RoundRobinTestRouter(backend.port()));
        FakeOrchestrator web = new FakeOrchestrator("web", new RoundRobinTestRouter(backend.port()));
        web.replicas = List.of(new ReplicaView("web-9000-1", "w0", 9000, ReplicaState.READY, true, 0, 0, T0, 0));
        gateway = transport.start(Gateway.builder().route("/api", api).route("/", web));

        ContentResponse response = post("/replicas/web-9000-1/replace", null);

        assertThat(response.getStatus()).isEqualTo(202);
        assertThat(json(response).get("service").asText()).isEqualTo("web");
        assertThat(web.replaces).containsExactly("web-9000-1");
        assertThat(api.replaces).isEmpty();
        assertThat(post("/replicas/web-9000-1/replace?service=api", null).getStatus()).isEqualTo(404);
    }

    @Test
    void aBrowsersCrossOriginPostIsRefusedSoAnotherSiteCannotPressTheButtons() throws Exception {
        startActs(Gateway.builder());
        String admin = "127.0.0.1:" + gateway.adminPort();

        ContentResponse drain = client.newRequest("http://" + admin + "/replicas/acts-8000-1/drain").method("POST")
                .headers(h -> h.put("Origin", "http://evil.example")).send();
        ContentResponse scale = client.newRequest("http://" + admin + "/scale").method("POST")
                .headers(h -> h.put("Origin", "null"))
                .body(new org.eclipse.jetty.client.StringRequestContent("text/plain", "{\"replicas\": 5}")).send();
        ContentResponse sameOrigin = client.newRequest("http://" + admin + "/replicas/acts-8000-1/drain").method("POST")
                .headers(h -> h.put("Origin", "http://" + admin)).send();

        assertThat(drain.getStatus()).isEqualTo(403);
        assertThat(json(drain).get("error").asText()).contains("cross-origin");
        assertThat(scale.getStatus()).isEqualTo(403);
        assertThat(acts.scaleRequests).isEmpty();
        assertThat(sameOrigin.getStatus()).isEqualTo(202);
        assertThat(acts.drains).containsExactly("acts-8000-1");
    }

    @Test
    void anOrchestratorThatFailsTheRequestIs500WithItsMessage() throws Exception {
        startActs(Gateway.builder());
        acts.actionAnswer = CompletableFuture.failedFuture(new IllegalStateException("loop is gone"));

        ContentResponse response = post("/replicas/acts-8000-1/drain", null);

        assertThat(response.getStatus()).isEqualTo(500);
        assertThat(json(response).get("error").asText()).isEqualTo("loop is gone");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
