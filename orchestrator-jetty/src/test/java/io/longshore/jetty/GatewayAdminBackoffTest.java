package io.longshore.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.longshore.api.ContainerSpec;
import io.longshore.api.ProbeResult;
import io.longshore.core.Orchestrator;
import io.longshore.testkit.DeterministicScheduler;
import io.longshore.testkit.FakeContainerRuntime;
import io.longshore.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The admin API shows a replica in restart backoff as the real orchestrator reports it: STARTING
 * with its restart count in {@code /replicas}, and {@code ReplicaStartFailed} events with the
 * growing {@code retryIn}. The orchestrator runs on virtual time behind a real gateway.
 */
@ParameterizedClass
@EnumSource(Transport.class)
class GatewayAdminBackoffTest {
    @Parameter
    Transport transport;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-02T03:04:05Z"));
    private final DeterministicScheduler scheduler = new DeterministicScheduler(clock);
    private final FakeContainerRuntime runtime = new FakeContainerRuntime(clock);
    private Orchestrator orchestrator;
    private TestGateway gateway;
    private HttpClient client;

    @BeforeEach
    void start() {
        runtime.failNextStarts(3, "image acts:1 not found");
        orchestrator = Orchestrator.builder().service(ContainerSpec.builder("acts").image("acts:1").build())
                .runtime(runtime).clock(clock).scheduler(scheduler).runtimeExecutor(Runnable::run).probeExecutor(Runnable::run)
                .initialReplicas(1).basePort(8000)
                .healthProbe(backend -> CompletableFuture.completedFuture(ProbeResult.pass("ok")))
                .build();
        gateway = transport.start(Gateway.builder().route("/", orchestrator));
        orchestrator.start();
        scheduler.runPending();
        client = TestSupport.client();
    }

    @AfterEach
    void stop() {
        TestSupport.stop(client);
        gateway.close();
        orchestrator.close();
        clock.advance(Duration.ofMinutes(1));
    }

    private JsonNode admin(String pathAndQuery) throws Exception {
        return JSON.readTree(client.GET("http://127.0.0.1:" + gateway.adminPort() + pathAndQuery).getContent());
    }

    @Test
    void aReplicaThatFailsToStartShowsAsStartingWithItsRestartsAndEventsCarryTheGrowingRetryIn() throws Exception {
        clock.advance(Duration.ofMillis(1_500)); // the first retry (after 1 s) fails too

        JsonNode replica = admin("/replicas").get(0);
        assertThat(replica.get("state").asText()).isEqualTo("STARTING");
        assertThat(replica.get("port").asInt()).isEqualTo(8000);
        assertThat(replica.get("restarts").asInt()).isEqualTo(2);
        assertThat(replica.get("startedAt").isNull()).isTrue();
        assertThat(retryIns()).containsExactly("PT2S", "PT1S");

        clock.advance(Duration.ofSeconds(10)); // the third attempt fails, the fourth starts it

        assertThat(retryIns()).containsExactly("PT4S", "PT2S", "PT1S");
        assertThat(admin("/replicas").get(0).get("restarts").asInt()).isEqualTo(3);
        assertThat(admin("/replicas").get(0).get("state").asText()).isEqualTo("READY");
    }

    /** The {@code retryIn} of every {@code ReplicaStartFailed} event, newest first. */
    private List<String> retryIns() throws Exception {
        List<String> retryIns = new ArrayList<>();
        for (JsonNode event : admin("/events?limit=50")) {
            if (event.get("type").asText().equals("ReplicaStartFailed")) {
                assertThat(event.get("error").asText()).contains("image acts:1 not found");
                retryIns.add(event.get("retryIn").asText());
            }
        }
        return retryIns;
    }
}
