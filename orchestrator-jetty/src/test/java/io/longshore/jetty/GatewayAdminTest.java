package io.longshore.jetty;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.longshore.api.OrchestratorEvent;
import io.longshore.api.Endpoint;
import io.longshore.api.ReplicaState;
import io.longshore.core.OrchestratorStatus;
import io.longshore.core.ReplicaView;
import java.io.ByteArrayInputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamRequestContent;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

@ParameterizedClass
@EnumSource(Transport.class)
class GatewayAdminTest {
    @Parameter
    Transport transport;
    private static final Instant T0 = Instant.parse("2026-01-02T03:04:05Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static WireMockServer first;
    private static WireMockServer second;
    private static HttpClient client;
    private TestGateway gateway;

    @BeforeAll
    static void startBackends() {
        first = TestSupport.wireMock();
        second = TestSupport.wireMock();
        first.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("first")));
        second.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("second")));
        client = TestSupport.client();
    }

    @AfterAll
    static void stopBackends() {
        TestSupport.stop(client);
        first.stop();
        second.stop();
    }

    @AfterEach
    void closeGateway() {
        if (gateway != null) {
            gateway.close();
        }
        first.resetRequests();
        second.resetRequests();
    }

    private ContentResponse admin(String method, String pathAndQuery, String body) throws Exception {
        var request = client.newRequest("http://127.0.0.1:" + gateway.adminPort() + pathAndQuery).method(method);
        if (body != null) {
            request.body(new StringRequestContent("application/json", body));
        }
        return request.send();
    }

    private JsonNode adminJson(String pathAndQuery) throws Exception {
        ContentResponse response = admin("GET", pathAndQuery, null);
        assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(200);
        assertThat(response.getMediaType()).isEqualTo("application/json");
        return JSON.readTree(response.getContent());
    }

    @Test
    void roundRobinSendsThreeOfSixRequestsToEachOfTwoReplicasAndCountsThem() throws Exception {
        gateway = transport.start(Gateway.builder()
                .router(new RoundRobinTestRouter(first.port(), second.port())));
        for (int i = 0; i < 6; i++) {
            assertThat(TestSupport.to(client, gateway, "/rr").send().getStatus()).isEqualTo(200);
        }

        first.verify(3, anyRequestedFor(anyUrl()));
        second.verify(3, anyRequestedFor(anyUrl()));
        JsonNode replicas = adminJson("/replicas");
        assertThat(replicas).hasSize(2);
        for (JsonNode replica : replicas) {
            assertThat(replica.get("state").asText()).isEqualTo("READY");
            assertThat(replica.get("healthy").asBoolean()).isTrue();
            assertThat(replica.get("requests").asLong()).isEqualTo(3);
            assertThat(replica.get("inFlight").asInt()).isZero();
        }
    }

    @Test
    void replicasListsEveryFieldOfTheOrchestratorsView() throws Exception {
        FakeOrchestrator orchestrator = new FakeOrchestrator("acts", new RoundRobinTestRouter(first.port()));
        orchestrator.replicas = List.of(
                new ReplicaView("acts-8000", "c0ffee", 8000, ReplicaState.READY, true, 12, 1, T0, 0,
                        new Endpoint("10.0.0.7", 8000), "75f6f51749ca03f8"),
                new ReplicaView("acts-8001", "", 8001, ReplicaState.STARTING, false, 0, 0, null, 2));
        gateway = transport.start(Gateway.builder().route("/", orchestrator));

        JsonNode replicas = adminJson("/replicas");

        assertThat(replicas).hasSize(2);
        JsonNode ready = replicas.get(0);
        assertThat(fieldNames(ready)).containsExactly("id", "containerId", "port", "state", "healthy", "requests",
                "inFlight", "startedAt", "restarts", "endpoint", "specHash", "weight");
        assertThat(ready.get("specHash").asText()).isEqualTo("75f6f51749ca03f8");
        assertThat(ready.get("id").asText()).isEqualTo("acts-8000");
        assertThat(ready.get("containerId").asText()).isEqualTo("c0ffee");
        assertThat(ready.get("port").asInt()).isEqualTo(8000);
        assertThat(ready.get("requests").asLong()).isEqualTo(12);
        assertThat(ready.get("inFlight").asInt()).isEqualTo(1);
        assertThat(ready.get("startedAt").asText()).isEqualTo("2026-01-02T03:04:05Z");
        assertThat(replicas.get(1).get("state").asText()).isEqualTo("STARTING");
        assertThat(replicas.get(1).get("startedAt").isNull()).isTrue();
        assertThat(replicas.get(1).get("restarts").asInt()).isEqualTo(2);
        assertThat(ready.get("endpoint").asText()).isEqualTo("10.0.0.7:8000");
        assertThat(replicas.get(1).get("endpoint").isNull()).isTrue();
        assertThat(ready.get("weight").asInt()).isEqualTo(1);
    }

    @Test
    void aReplicasWeightIsSetByPostingItAndAnsweredOnceApplied() throws Exception {
        FakeOrchestrator orchestrator = new FakeOrchestrator("acts", new RoundRobinTestRouter(first.port()));
        orchestrator.replicas = List.of(new ReplicaView("acts-8000-1", "c0", 8000, ReplicaState.READY, true, 0, 0, T0, 0));
        gateway = transport.start(Gateway.builder().route("/", orchestrator));

        ContentResponse response = admin("POST", "/replicas/acts-8000-1/weight", "{\"weight\": 3}");

        assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(200);
        JsonNode answer = JSON.readTree(response.getContent());
        assertThat(answer.get("id").asText()).isEqualTo("acts-8000-1");
        assertThat(answer.get("weight").asInt()).isEqualTo(3);
        // the fields in the documented order, in every run
        assertThat(response.getContentAsString()).isEqualTo("{\"id\":\"acts-8000-1\",\"weight\":3}");
        assertThat(orchestrator.weights).containsEntry("acts-8000-1", 3);
        assertThat(admin("POST", "/replicas/acts-9999-1/weight", "{\"weight\": 3}").getStatus()).isEqualTo(404);
        assertThat(admin("GET", "/replicas/acts-8000-1/weight", null).getStatus()).isEqualTo(405);
    }

    @Test
    void aPercentEncodedReplicaIdIsDecodedAndABrokenEncodingIsRefused() throws Exception {
        FakeOrchestrator orchestrator = new FakeOrchestrator("acts", new RoundRobinTestRouter(first.port()));
        orchestrator.replicas = List.of(new ReplicaView("acts-8000-1", "c0", 8000, ReplicaState.READY, true, 0, 0, T0, 0));
        gateway = transport.start(Gateway.builder().route("/", orchestrator));

        ContentResponse encoded = admin("POST", "/replicas/acts%2D8000%2d1/weight", "{\"weight\": 2}");

        assertThat(encoded.getStatus()).as(encoded.getContentAsString()).isEqualTo(200);
        assertThat(encoded.getContentAsString()).isEqualTo("{\"id\":\"acts-8000-1\",\"weight\":2}");
        assertThat(orchestrator.weights).containsEntry("acts-8000-1", 2);
        // a broken encoding is refused (Jetty's URI parser answers 400 before the endpoint sees it);
        // sent raw, as Jetty's client refuses such a URI
        try (Socket raw = new Socket("127.0.0.1", gateway.adminPort())) {
            raw.getOutputStream().write(("POST /replicas/acts%2-8000-1/weight HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Length: 13\r\nConnection: close\r\n\r\n{\"weight\": 2}").getBytes(StandardCharsets.US_ASCII));
            String refused = new String(raw.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(refused).startsWith("HTTP/1.1 400");
            if (transport == Transport.STANDALONE) { // embedded, the host server's error handler answers
                assertThat(refused).containsIgnoringCase("Content-Type: application/json").contains("{\"error\":\"");
            }
        }
        assertThat(orchestrator.weights).containsOnlyKeys("acts-8000-1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not json", "{}", "{\"weight\": 0}", "{\"weight\": 1001}", "{\"weight\": \"3\"}",
            "{\"weight\": 2.5}", "[3]", "{\"weight\": 3}{\"weight\": 4}", "{\"weight\": 3} x",
            "{\"weight\": 3, \"x\": 1}", "{\"weight\": 2, \"weight\": 3}"})
    void aWeightOutsideOneToAThousandOrABadBodyIsAnswered400(String body) throws Exception {
        FakeOrchestrator orchestrator = new FakeOrchestrator("acts", new RoundRobinTestRouter(first.port()));
        orchestrator.replicas = List.of(new ReplicaView("acts-8000-1", "c0", 8000, ReplicaState.READY, true, 0, 0, T0, 0));
        gateway = transport.start(Gateway.builder().route("/", orchestrator));

        ContentResponse response = admin("POST", "/replicas/acts-8000-1/weight", body);

        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(JSON.readTree(response.getContent()).get("error").asText()).contains("weight").contains("1..1000");
        assertThat(orchestrator.weights).isEmpty();
    }

    @Test
    void aWeightOrScaleBodyOverFourKibibytesIsAnswered413EvenWhenItIsValidJson() throws Exception {
        FakeOrchestrator orchestrator = new FakeOrchestrator("acts", new RoundRobinTestRouter(first.port()));
        orchestrator.replicas = List.of(new ReplicaView("acts-8000-1", "c0", 8000, ReplicaState.READY, true, 0, 0, T0, 0));
        gateway = transport.start(Gateway.builder().route("/", orchestrator));
        String padding = " ".repeat(4096);

        ContentResponse weight = admin("POST", "/replicas/acts-8000-1/weight", "{\"weight\": 3}" + padding);
        ContentResponse scale = admin("POST", "/scale", "{\"replicas\": 3}" + padding);

        assertThat(weight.getStatus()).isEqualTo(413);
        assertThat(JSON.readTree(weight.getContent()).get("error").asText()).isEqualTo("the body exceeds 4096 bytes");
        assertThat(scale.getStatus()).isEqualTo(413);
        // chunked, with no length to check up front: refused once the bound is passed (a body
        // small enough to be sent whole before the answer, so that the client reads the answer)
        ContentResponse chunked = client.newRequest("http://127.0.0.1:" + gateway.adminPort() + "/scale")
                .method("POST").body(new InputStreamRequestContent("application/json", new ByteArrayInputStream(
                        ("{\"replicas\": 3}" + padding).getBytes(StandardCharsets.UTF_8))))
                .send();
        assertThat(chunked.getStatus()).isEqualTo(413);
        assertThat(orchestrator.weights).isEmpty();
        assertThat(orchestrator.scaleRequests).isEmpty();
        // at the bound itself, the same body is taken
        assertThat(admin("POST", "/replicas/acts-8000-1/weight", "{\"weight\": 3}" + " ".repeat(4096 - 13))
                .getStatus()).isEqualTo(200);
    }

    @Test
    void statusShowsTheCountsNamesAndLastScaling() throws Exception {
        FakeOrchestrator orchestrator = new FakeOrchestrator("acts", new RoundRobinTestRouter(first.port()));
        gateway = transport.start(Gateway.builder().route("/", orchestrator));
        assertThat(adminJson("/status").get("lastScaling").isNull()).isTrue();

        orchestrator.lastScaling = Optional.of(new OrchestratorStatus.Scaling(T0, 1, 2, "42 requests in 2m"));
        JsonNode status = adminJson("/status");

        assertThat(fieldNames(status)).containsExactly("service", "desired", "ready", "min", "max", "strategy",
                "policy", "lastScaling", "lastDecision");
        assertThat(status.get("service").asText()).isEqualTo("acts");
        assertThat(status.get("desired").asInt()).isEqualTo(2);
        assertThat(status.get("ready").asInt()).isEqualTo(2);
        assertThat(status.get("min").asInt()).isEqualTo(1);
        assertThat(status.get("max").asInt()).isEqualTo(5);
        assertThat(status.get("strategy").asText()).isEqualTo("round-robin");
        assertThat(status.get("policy").asText()).isEqualTo("requests-per-replica");
        JsonNode scaling = status.get("lastScaling");
        assertThat(fieldNames(scaling)).containsExactly("at", "from", "to", "reason");
        assertThat(scaling.get("at").asText()).isEqualTo("2026-01-02T03:04:05Z");
        assertThat(scaling.get("to").asInt()).isEqualTo(2);
    }

    @Test
    void statusShowsTheAutoscalersLastDecisionWithItsInputs() throws Exception {
        FakeOrchestrator orchestrator = new FakeOrchestrator("acts", new RoundRobinTestRouter(first.port()));
        gateway = transport.start(Gateway.builder().route("/", orchestrator));
        assertThat(adminJson("/status").get("lastDecision").isNull()).isTrue();

        orchestrator.lastDecision = Optional.of(new OrchestratorEvent.ScalingDecided(T0, "acts",
                "target-tracking", "tick", 2, 4, "concurrency", 37.5, 10, Duration.ofSeconds(6), "BURST", 4,
                List.of("max scale-up rate")));
        JsonNode decision = adminJson("/status").get("lastDecision");

        assertThat(fieldNames(decision)).containsExactly("at", "trigger", "from", "to", "metric", "observed", "target",
                "window", "mode", "recommendation", "clamps");
        assertThat(decision.get("at").asText()).isEqualTo("2026-01-02T03:04:05Z");
        assertThat(decision.get("from").asInt()).isEqualTo(2);
        assertThat(decision.get("to").asInt()).isEqualTo(4);
        assertThat(decision.get("metric").asText()).isEqualTo("concurrency");
        assertThat(decision.get("observed").asDouble()).isEqualTo(37.5);
        assertThat(decision.get("target").asDouble()).isEqualTo(10.0);
        assertThat(decision.get("window").asText()).isEqualTo("PT6S");
        assertThat(decision.get("mode").asText()).isEqualTo("BURST");
        assertThat(decision.get("recommendation").asInt()).isEqualTo(4);
        assertThat(decision.get("clamps").get(0).asText()).isEqualTo("max scale-up rate");
    }

    @Test
    void scaleSetsTheDesiredCountClampedAndAnswersWithTheNewStatus() throws Exception {
        FakeOrchestrator orchestrator = new FakeOrchestrator("acts", new RoundRobinTestRouter(first.port()));
        gateway = transport.start(Gateway.builder().route("/", orchestrator));

        ContentResponse response = admin("POST", "/scale", "{\"replicas\": 9}");

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(orchestrator.scaleRequests).containsExactly(9);
        assertThat(JSON.readTree(response.getContent()).get("desired").asInt()).isEqualTo(5);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not json", "{}", "{\"replicas\": -1}", "{\"replicas\": \"3\"}", "{\"replicas\": 2.5}",
            "[3]", "{\"replicas\": 1}{\"x\"", "{\"replicas\": 1, \"x\": 1}", "{\"replicas\":2,\"replicas\":3}"})
    void scaleAnswers400ToABadBody(String body) throws Exception {
        FakeOrchestrator orchestrator = new FakeOrchestrator("acts", new RoundRobinTestRouter(first.port()));
        gateway = transport.start(Gateway.builder().route("/", orchestrator));

        ContentResponse response = admin("POST", "/scale", body);

        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(JSON.readTree(response.getContent()).get("error").asText()).contains("replicas");
        assertThat(orchestrator.scaleRequests).isEmpty();
    }

    @Test
    void eventsAreNewestFirstWithTimeTypeAndTheirFields() throws Exception {
        FakeOrchestrator orchestrator = new FakeOrchestrator("acts", new RoundRobinTestRouter(first.port()));
        orchestrator.events = List.of(
                new OrchestratorEvent.ReplicaEjected(T0.plusSeconds(2), "acts", "acts-8000", "c0", 8000, "probe",
                        Duration.ofSeconds(30)),
                new OrchestratorEvent.Scaled(T0.plusSeconds(1), "acts", 1, 2, "load"),
                new OrchestratorEvent.ReplicaStarted(T0, "acts", "acts-8000", "c0", 8000));
        gateway = transport.start(Gateway.builder().route("/", orchestrator));

        JsonNode events = adminJson("/events?limit=2");

        assertThat(events).hasSize(2);
        JsonNode ejected = events.get(0);
        assertThat(ejected.get("time").asText()).isEqualTo("2026-01-02T03:04:07Z");
        assertThat(ejected.get("type").asText()).isEqualTo("ReplicaEjected");
        assertThat(ejected.get("replicaId").asText()).isEqualTo("acts-8000");
        assertThat(ejected.get("duration").asText()).isEqualTo("PT30S");
        assertThat(events.get(1).get("type").asText()).isEqualTo("Scaled");
        assertThat(events.get(1).get("to").asInt()).isEqualTo(2);
        assertThat(admin("GET", "/events?limit=zero", null).getStatus()).isEqualTo(400);
    }

    @Test
    void metricsExposeRequestsLatencyInFlightReplicasAndErrorsAsPrometheusText() throws Exception {
        FakeOrchestrator orchestrator = new FakeOrchestrator("acts", new RoundRobinTestRouter(first.port()));
        orchestrator.replicas = List.of(new ReplicaView("acts-8000", "c0", 8000, ReplicaState.READY, true, 1, 0, T0, 3));
        orchestrator.events = List.of(new OrchestratorEvent.Scaled(T0, "acts", 1, 2, "load"));
        gateway = transport.start(Gateway.builder().route("/", orchestrator));
        TestSupport.to(client, gateway, "/m").send();

        ContentResponse response = admin("GET", "/metrics", null);

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getContentAsString())
                .contains("longshore_gateway_requests_total{replica=\"replica-" + first.port()
                        + "\",service=\"acts\",status=\"2xx\"} 1.0")
                .contains("longshore_gateway_request_duration_seconds_bucket")
                .contains("longshore_gateway_requests_inflight")
                .contains("longshore_replicas{service=\"acts\",state=\"ready\"} 1.0")
                .contains("longshore_replica_restarts{service=\"acts\"} 3.0")
                .contains("longshore_scaling_decisions_total{service=\"acts\"} 1.0")
                .contains("longshore_gateway_proxy_errors_total{kind=\"connect\",service=\"acts\"} 0.0");
    }

    @Test
    void healthzAnswers200WhileServing() throws Exception {
        gateway = transport.start(Gateway.builder().router(new RoundRobinTestRouter(first.port())));

        assertThat(admin("GET", "/healthz", null).getStatus()).isEqualTo(200);
    }

    @Test
    void aConfiguredBearerTokenIsRequiredOnEveryAdminPath() throws Exception {
        gateway = transport.start(Gateway.builder().bearerToken("s3cret")
                .router(new RoundRobinTestRouter(first.port())));

        assertThat(admin("GET", "/status", null).getStatus()).isEqualTo(401);
        assertThat(client.newRequest("http://127.0.0.1:" + gateway.adminPort() + "/replicas")
                .headers(h -> h.put("Authorization", "Bearer wrong")).send().getStatus()).isEqualTo(401);
        assertThat(client.newRequest("http://127.0.0.1:" + gateway.adminPort() + "/replicas")
                .headers(h -> h.put("Authorization", "Bearer s3cret")).send().getStatus()).isEqualTo(200);
        assertThat(TestSupport.to(client, gateway, "/proxied").send().getStatus()).isEqualTo(200);
    }

    @Test
    void severalServicesAreRoutedByPrefixAndPickedWithTheServiceParameter() throws Exception {
        FakeOrchestrator api = new FakeOrchestrator("api", new RoundRobinTestRouter(first.port()));
        FakeOrchestrator web = new FakeOrchestrator("web", new RoundRobinTestRouter(second.port()));
        gateway = transport.start(Gateway.builder().route("/api", api).route("/", web));

        assertThat(TestSupport.to(client, gateway, "/api/x").send().getContentAsString()).isEqualTo("first");
        assertThat(TestSupport.to(client, gateway, "/apix").send().getContentAsString()).isEqualTo("second");
        assertThat(TestSupport.to(client, gateway, "/").send().getContentAsString()).isEqualTo("second");
        assertThat(adminJson("/status").get("service").asText()).isEqualTo("api");
        assertThat(adminJson("/status?service=web").get("service").asText()).isEqualTo("web");
        assertThat(admin("GET", "/status?service=nope", null).getStatus()).isEqualTo(404);
    }

    @Test
    void aPathNoRouteCoversGets404() throws Exception {
        FakeOrchestrator api = new FakeOrchestrator("api", new RoundRobinTestRouter(first.port()));
        gateway = transport.start(Gateway.builder().route("/api", api));

        assertThat(TestSupport.to(client, gateway, "/api").send().getStatus()).isEqualTo(200);
        assertThat(TestSupport.to(client, gateway, "/other").send().getStatus()).isEqualTo(404);
        first.verify(1, anyRequestedFor(anyUrl()));
    }

    @Test
    void staticBackendsCannotBeScaled() throws Exception {
        gateway = transport.start(Gateway.builder().router(new RoundRobinTestRouter(first.port())));

        assertThat(admin("POST", "/scale", "{\"replicas\": 3}").getStatus()).isEqualTo(409);
        String id = adminJson("/replicas").get(0).get("id").asText();
        assertThat(admin("POST", "/replicas/" + id + "/weight", "{\"weight\": 2}").getStatus()).isEqualTo(409);
        assertThat(adminJson("/status").get("policy").asText()).isEqualTo("none");
        assertThat(admin(HttpMethod.DELETE.asString(), "/status", null).getStatus()).isEqualTo(405);
    }

    @Test
    void a405NamesTheMethodsThePathAnswersInAllow() throws Exception {
        gateway = transport.start(Gateway.builder().router(new RoundRobinTestRouter(first.port())));
        String id = adminJson("/replicas").get(0).get("id").asText();

        Map<String, String> allowed = new LinkedHashMap<>();
        for (String[] call : new String[][] {{"DELETE", "/replicas"}, {"POST", "/status"}, {"PUT", "/events"},
                {"GET", "/scale"}, {"GET", "/replicas/" + id + "/weight"}, {"PUT", "/rollout"},
                {"GET", "/rollout/undo"}, {"POST", "/stream"}, {"GET", "/replicas/" + id + "/drain"}}) {
            ContentResponse response = admin(call[0], call[1], null);
            assertThat(response.getStatus()).as(call[0] + " " + call[1]).isEqualTo(405);
            allowed.put(call[0] + " " + call[1], response.getHeaders().get(HttpHeader.ALLOW));
        }

        // HEAD is served wherever GET is (/stream aside), so Allow names it there
        assertThat(allowed.values()).containsExactly("GET, HEAD", "GET, HEAD", "GET, HEAD", "POST", "POST",
                "GET, HEAD, POST", "POST", "GET", "POST");
        // a method the path answers gets no Allow field
        assertThat(admin("GET", "/replicas", null).getHeaders().get(HttpHeader.ALLOW)).isNull();
    }

    @Test
    void headIsServedWhereverGetIsWithTheHeadersOnly() throws Exception {
        gateway = transport.start(Gateway.builder().router(new RoundRobinTestRouter(first.port())));

        for (String path : new String[] {"/replicas", "/status", "/events", "/rollout", "/metrics", "/healthz"}) {
            String get = raw("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
            String head = raw("HEAD " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
            assertThat(head).as(path).startsWith(get.substring(0, get.indexOf("\r\n")) + "\r\n").endsWith("\r\n\r\n");
        }
        assertThat(raw("HEAD /scale HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 405");
    }

    private String raw(String request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", gateway.adminPort())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
