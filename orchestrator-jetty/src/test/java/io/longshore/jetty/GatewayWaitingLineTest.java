package io.longshore.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.longshore.api.ContainerSpec;
import io.longshore.api.ProbeResult;
import io.longshore.api.ScalingPolicy;
import io.longshore.api.TargetTracking;
import io.longshore.core.Orchestrator;
import io.longshore.testkit.FakeContainerRuntime;
import io.longshore.testkit.ScriptedServiceRuntime;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The gateway's waiting line on both transports: a request that finds no replica is held and
 * forwarded once one is ready (a cold start, measured), and the line's bounds in length and in
 * time end in 503 with {@code Retry-After}. Real sockets and a real orchestrator on the system
 * clock; waits are awaited, never slept.
 */
@ParameterizedClass
@EnumSource(Transport.class)
class GatewayWaitingLineTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @Parameter
    Transport transport;

    @Test
    void aRequestAtZeroReplicasIsHeldUntilAReplicaStartsAndTheServiceGoesBackToZeroWhenIdle() throws Exception {
        int base = TestSupport.twoFreePorts();
        ScriptedServiceRuntime service = ScriptedServiceRuntime.answering("ok");
        HttpClient client = TestSupport.client();
        TargetTracking settings = TargetTracking.builder().target(10).stableWindow(Duration.ofSeconds(2))
                .burstWindow(Duration.ofSeconds(1)).idle(Duration.ofSeconds(1)).tick(Duration.ofMillis(200))
                .scaleDownStabilization(Duration.ZERO).build();
        Orchestrator orchestrator = Orchestrator.builder()
                .service(ContainerSpec.builder("acts").image("acts:test").build())
                .runtime(service).minReplicas(0).maxReplicas(2).basePort(base)
                .scalingPolicy(ScalingPolicy.targetTracking(settings))
                .probeInterval(Duration.ofMillis(100)).probeTimeout(Duration.ofSeconds(5)).rise(1)
                .startGracePeriod(Duration.ofMillis(1)).drainTimeout(Duration.ofMillis(100)).build();
        try (TestGateway gateway = transport.start(Gateway.builder().route("/", orchestrator, Ownership.OWNED))) {
            String admin = "http://127.0.0.1:" + gateway.adminPort();
            await().atMost(Duration.ofSeconds(30)).until(() -> status(client, admin).get("ready").asInt() == 0
                    && status(client, admin).get("desired").asInt() == 0);

            ContentResponse held = TestSupport.to(client, gateway, "/api/v1/acts").timeout(30, TimeUnit.SECONDS).send();

            assertThat(held.getStatus()).isEqualTo(200);
            assertThat(held.getContentAsString()).isEqualTo("ok");
            String metrics = client.GET(admin + "/metrics").getContentAsString();
            assertThat(sample(metrics, "longshore_cold_start_seconds_count")).isEqualTo(1.0);
            assertThat(sample(metrics, "longshore_requests_waiting")).isEqualTo(0.0);
            assertThat(metrics).contains("longshore_autoscaler_observed", "longshore_autoscaler_desired");
            JsonNode decision = status(client, admin).get("lastDecision");
            assertThat(decision.get("metric").asText()).isEqualTo("concurrency");
            assertThat(decision.has("observed")).isTrue();
            assertThat(decision.get("mode").asText()).isNotBlank();
            assertThat(decision.get("window").asText()).startsWith("PT");
            await().atMost(Duration.ofSeconds(30)).until(() -> status(client, admin).get("ready").asInt() == 0
                    && orchestrator.replicas().isEmpty());
        } finally {
            TestSupport.stop(client);
            service.close();
        }
    }

    @Test
    void pastItsLengthTheLineAnswers503AtOnceAndPastItsTimeTheHeldRequestGets503() throws Exception {
        HttpClient client = TestSupport.client();
        Orchestrator orchestrator = Orchestrator.builder()
                .service(ContainerSpec.builder("acts").image("acts:test").build())
                .runtime(new FakeContainerRuntime()).minReplicas(0).maxReplicas(1).basePort(24_990)
                .healthProbe(backend -> CompletableFuture.completedFuture(ProbeResult.fail("never ready")))
                .probeInterval(Duration.ofMillis(100)).startGracePeriod(Duration.ofMinutes(5)).build();
        try (TestGateway gateway = transport.start(Gateway.builder().route("/", orchestrator, Ownership.OWNED)
                .maxWaiting(1).maxWait(Duration.ofSeconds(3)))) {
            String admin = "http://127.0.0.1:" + gateway.adminPort();
            CompletableResponseListener first = new CompletableResponseListener(
                    TestSupport.to(client, gateway, "/first").timeout(30, TimeUnit.SECONDS));
            CompletableFuture<ContentResponse> firstAnswer = first.send();
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    sample(client.GET(admin + "/metrics").getContentAsString(), "longshore_requests_waiting") == 1.0);

            ContentResponse second = TestSupport.to(client, gateway, "/second").send();

            assertThat(second.getStatus()).isEqualTo(503);
            assertThat(second.getHeaders().get("Retry-After")).isEqualTo("1");
            assertThat(second.getContentAsString()).contains("too many requests waiting");
            assertThat(firstAnswer.isDone()).as("the first still waits").isFalse();
            ContentResponse timedOut = firstAnswer.get(30, TimeUnit.SECONDS);
            assertThat(timedOut.getStatus()).isEqualTo(503);
            assertThat(timedOut.getHeaders().get("Retry-After")).isEqualTo("1");
            assertThat(timedOut.getContentAsString()).contains("no replica became available in time");
            assertThat(sample(client.GET(admin + "/metrics").getContentAsString(), "longshore_requests_waiting"))
                    .isEqualTo(0.0);
        } finally {
            TestSupport.stop(client);
        }
    }

    /**
     * A held request's client that sends its body while the request waits, then goes away, leaves
     * the line at once: its place is not held until the wait's end, and its request (a POST, say)
     * never reaches a replica for a client that is no longer there.
     */
    @Test
    void aHeldRequestWhoseClientSendsItsBodyAndLeavesLeavesTheLine() throws Exception {
        // embedded, the host server notices a client gone only when it next writes to it (docs/gateway.md)
        assumeTrue(transport == Transport.STANDALONE);
        HttpClient client = TestSupport.client();
        Orchestrator orchestrator = Orchestrator.builder()
                .service(ContainerSpec.builder("acts").image("acts:test").build())
                .runtime(new FakeContainerRuntime()).minReplicas(0).maxReplicas(1).basePort(TestSupport.twoFreePorts())
                .healthProbe(backend -> CompletableFuture.completedFuture(ProbeResult.fail("never ready")))
                .probeInterval(Duration.ofMillis(100)).startGracePeriod(Duration.ofMinutes(5)).build();
        try (TestGateway gateway = transport.start(Gateway.builder().route("/", orchestrator, Ownership.OWNED)
                .maxWait(Duration.ofMinutes(5)))) {
            String admin = "http://127.0.0.1:" + gateway.adminPort();
            try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
                OutputStream out = socket.getOutputStream();
                out.write("POST /orders HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                await().atMost(Duration.ofSeconds(10)).until(() -> waiting(client, admin) == 1.0);
                out.write("order".getBytes(StandardCharsets.US_ASCII)); // the body comes while the request waits
                out.flush();
            }

            await().atMost(Duration.ofSeconds(10)).until(() -> waiting(client, admin) == 0.0);
        } finally {
            TestSupport.stop(client);
        }
    }

    private static double waiting(HttpClient client, String admin) throws Exception {
        return sample(client.GET(admin + "/metrics").getContentAsString(), "longshore_requests_waiting");
    }

    private static JsonNode status(HttpClient client, String admin) throws Exception {
        return JSON.readTree(client.GET(admin + "/status").getContent());
    }

    /** The value of the first sample of {@code name} in Prometheus text; NaN when absent. */
    private static double sample(String metrics, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*\\})? ([^ \\n]+)").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(2)) : Double.NaN;
    }
}
