package io.longshore.jetty;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.longshore.api.OrchestratorEvent;
import io.longshore.api.ReplicaState;
import io.longshore.core.ReplicaView;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The dashboard's files and the {@code GET /stream} feed, through a running gateway. */
@ParameterizedClass
@EnumSource(Transport.class)
class GatewayDashboardTest {
    @Parameter
    Transport transport;
    private static final Instant T0 = Instant.parse("2026-01-02T03:04:05Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> ASSETS = List.of("/", "/dashboard/app.js", "/dashboard/chart.js",
            "/dashboard/style.css", "/dashboard/icon.svg");
    private static WireMockServer backend;
    private static HttpClient client;
    private final java.net.http.HttpClient streamClient = java.net.http.HttpClient.newHttpClient();
    private TestGateway gateway;
    private Stream<String> openStream;

    @BeforeAll
    static void startBackend() {
        backend = TestSupport.wireMock();
        backend.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("ok").withFixedDelay(5)));
        client = TestSupport.client();
    }

    @AfterAll
    static void stopBackend() {
        TestSupport.stop(client);
        backend.stop();
    }

    @AfterEach
    void close() {
        if (openStream != null) {
            openStream.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    private ContentResponse get(String path, String token) throws Exception {
        var request = client.newRequest("http://127.0.0.1:" + gateway.adminPort() + path);
        if (token != null) {
            request.headers(h -> h.put("Authorization", "Bearer " + token));
        }
        return request.send();
    }

    @Test
    void thePageAndItsFilesLoadWithoutTheTokenAndConfineThePageToItsOwnOrigin() throws Exception {
        gateway = transport.start(Gateway.builder().bearerToken("s3cret")
                .router(new RoundRobinTestRouter(backend.port())));

        ContentResponse page = get("/", null);

        assertThat(page.getStatus()).isEqualTo(200);
        assertThat(page.getMediaType()).isEqualTo("text/html");
        assertThat(page.getContentAsString()).contains("<script src=\"/dashboard/app.js\"", "id=\"login\"");
        assertThat(page.getHeaders().get("Content-Security-Policy"))
                .contains("default-src 'none'", "connect-src 'self'", "script-src 'self'");
        for (String asset : ASSETS) {
            ContentResponse response = get(asset, null);
            assertThat(response.getStatus()).as(asset).isEqualTo(200);
            assertThat(response.getContent()).as(asset).isNotEmpty();
        }
        assertThat(get("/dashboard/app.js", null).getMediaType()).isEqualTo("text/javascript");
        assertThat(get("/dashboard/nothing.js", null).getStatus()).isEqualTo(401);
        assertThat(get("/dashboard/nothing.js", "s3cret").getStatus()).isEqualTo(404);
    }

    @Test
    void noFileLinksAnythingBeyondTheAdminConnector() throws Exception {
        gateway = transport.start(Gateway.builder().router(new RoundRobinTestRouter(backend.port())));
        Pattern absolute = Pattern.compile("(?i)(https?:)?//[a-z0-9.-]+\\.[a-z]{2,}[^\\s\"')]*");

        for (String asset : ASSETS) {
            Matcher links = absolute.matcher(get(asset, null).getContentAsString());
            while (links.find()) {
                assertThat(links.group()).as(asset).isEqualTo("http://www.w3.org/2000/svg"); // a namespace, never fetched
            }
        }
    }

    @Test
    void theStreamNeedsTheToken() throws Exception {
        gateway = transport.start(Gateway.builder().bearerToken("s3cret")
                .router(new RoundRobinTestRouter(backend.port())));

        assertThat(get("/stream", null).getStatus()).isEqualTo(401);
        assertThat(get("/stream", "wrong").getStatus()).isEqualTo(401);
        assertThat(firstSnapshot("s3cret").get("services")).hasSize(1);
    }

    @Test
    void theStreamSendsAServerSentSnapshotOfEveryServiceAtOnce() throws Exception {
        FakeOrchestrator acts = new FakeOrchestrator("acts", new RoundRobinTestRouter(backend.port()));
        acts.replicas = List.of(new ReplicaView("acts-8000-1", "c0ffee", 8000, ReplicaState.READY, true, 12, 1, T0, 2));
        acts.events = List.of(
                new OrchestratorEvent.Scaled(T0.plusSeconds(1), "acts", 1, 2, "42 requests in 2m"),
                new OrchestratorEvent.ReplicaStarted(T0, "acts", "acts-8000-1", "c0ffee", 8000));
        gateway = transport.start(Gateway.builder().route("/api", acts)
                .route("/", "static", new RoundRobinTestRouter(backend.port())));

        JsonNode snapshot = firstSnapshot(null);

        assertThat(snapshot.get("time").asText()).isNotBlank();
        JsonNode services = snapshot.get("services");
        assertThat(services).hasSize(2);
        JsonNode frame = services.get(0);
        assertThat(frame.get("service").asText()).isEqualTo("acts");
        assertThat(frame.get("prefix").asText()).isEqualTo("/api");
        assertThat(frame.get("fixedBackends").asBoolean()).isFalse();
        assertThat(frame.get("status").get("desired").asInt()).isEqualTo(2);
        JsonNode replica = frame.get("replicas").get(0);
        assertThat(replica.get("id").asText()).isEqualTo("acts-8000-1");
        assertThat(replica.get("containerId").asText()).isEqualTo("c0ffee");
        assertThat(replica.get("state").asText()).isEqualTo("READY");
        assertThat(replica.get("inFlight").asInt()).isEqualTo(1);
        assertThat(replica.get("restarts").asInt()).isEqualTo(2);
        assertThat(replica.has("requestsPerSecond")).isTrue();
        assertThat(replica.get("p50Ms").isNull()).isTrue();
        JsonNode history = frame.get("history");
        assertThat(history.get("desired")).isNotEmpty();
        assertThat(history.get("scalings").isArray()).isTrue();
        assertThat(frame.get("events")).hasSize(2);
        assertThat(frame.get("events").get(0).get("type").asText()).isEqualTo("Scaled");
        assertThat(services.get(1).get("service").asText()).isEqualTo("static");
        assertThat(services.get(1).get("fixedBackends").asBoolean()).isTrue();
    }

    @Test
    void theStreamShowsEachReplicasRequestRateAndLatencyQuantilesFromTheGatewaysOwnTraffic() throws Exception {
        gateway = transport.start(Gateway.builder().router(new RoundRobinTestRouter(backend.port())));
        for (int i = 0; i < 20; i++) {
            assertThat(TestSupport.to(client, gateway, "/load").send().getStatus()).isEqualTo(200);
        }

        Iterator<JsonNode> snapshots = snapshots(null);
        JsonNode replica = null;
        for (int i = 0; i < 20 && (replica == null || replica.get("p50Ms").isNull()); i++) {
            replica = snapshots.next().get("services").get(0).get("replicas").get(0);
        }

        assertThat(replica.get("requestsPerSecond").asDouble()).isGreaterThan(0.0);
        assertThat(replica.get("p50Ms").asDouble()).isGreaterThanOrEqualTo(4.0); // the backend waits 5 ms
        assertThat(replica.get("p99Ms").asDouble()).isGreaterThanOrEqualTo(replica.get("p50Ms").asDouble());
    }

    @Test
    void frameFollowsFrameWithoutReconnecting() throws Exception {
        FakeOrchestrator acts = new FakeOrchestrator("acts", new RoundRobinTestRouter(backend.port()));
        gateway = transport.start(Gateway.builder().route("/", acts));
        Iterator<JsonNode> snapshots = snapshots(null);
        assertThat(snapshots.next().get("services").get(0).get("status").get("desired").asInt()).isEqualTo(2);

        acts.desired = 4;

        await("a later frame shows the new count").atMost(Duration.ofSeconds(10)).until(() ->
                snapshots.next().get("services").get(0).get("status").get("desired").asInt() == 4);
    }

    private JsonNode firstSnapshot(String token) throws Exception {
        return snapshots(token).next();
    }

    /** Opens {@code /stream} and iterates over its snapshot events' JSON. */
    private Iterator<JsonNode> snapshots(String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.adminPort() + "/stream"));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<Stream<String>> response = streamClient.send(request.build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/event-stream"));
        openStream = response.body();
        Iterator<String> lines = openStream.iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public JsonNode next() {
                String event = null;
                while (lines.hasNext()) {
                    String line = lines.next();
                    if (line.startsWith("event: ")) {
                        event = line.substring(7);
                    } else if (line.startsWith("data: ") && "snapshot".equals(event)) {
                        try {
                            return JSON.readTree(line.substring(6));
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                }
                throw new IllegalStateException("the stream ended");
            }
        };
    }
}
