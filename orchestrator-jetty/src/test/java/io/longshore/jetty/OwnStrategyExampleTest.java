package io.longshore.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import io.longshore.api.Clock;
import io.longshore.api.ContainerSpec;
import io.longshore.api.Endpoint;
import io.longshore.api.HealthProbe;
import io.longshore.api.LoadBalancingStrategy;
import io.longshore.core.Orchestrator;
import io.longshore.core.Routers;
import io.longshore.testkit.RawHttpClient;
import io.longshore.testkit.ScriptedBackend;
import io.longshore.testkit.ScriptedResponse;
import io.longshore.testkit.ScriptedServiceRuntime;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The README's examples of testing a strategy of one's own with the test kit, compiled and run. */
class OwnStrategyExampleTest {

    /** Requests with {@code X-Track: canary} go to the replica on the canary's endpoint; the rest go round robin. */
    static LoadBalancingStrategy canaryFirst(Endpoint canary) {
        LoadBalancingStrategy others = LoadBalancingStrategy.roundRobin();
        return (candidates, request) -> {
            if ("canary".equals(request.header("X-Track"))) {
                for (int i = 0; i < candidates.size(); i++) {
                    if (candidates.get(i).endpoint().equals(canary)) {
                        return i;
                    }
                }
                return LoadBalancingStrategy.NONE; // no canary routable: answer 503
            }
            return others.choose(candidates, request);
        };
    }

    @Test
    void aStrategyOfOnesOwnIsTestedAgainstScriptedBackends() throws Exception {
        try (ScriptedBackend stable = ScriptedBackend.answering("stable");
             ScriptedBackend canary = ScriptedBackend.start(request -> ScriptedResponse.ok("canary"));
             Gateway gateway = Gateway.builder().port(0).adminEnabled(false)
                     .router(Routers.fixed(List.of(stable.endpoint(), canary.endpoint()),
                             canaryFirst(canary.endpoint()), Clock.system()))
                     .build().start();
             RawHttpClient http = new RawHttpClient(gateway.port())) {
            RawHttpClient.Response response = http.send("GET /items HTTP/1.1\r\nHost: shop\r\n"
                    + "X-Track: canary\r\n\r\n").read();

            assertThat(response.body()).isEqualTo("canary");
            assertThat(canary.requests()).singleElement()
                    .satisfies(request -> assertThat(request.header("X-Forwarded-Host")).isEqualTo("shop"));
            assertThat(stable.requests()).isEmpty();
        }
    }

    @Test
    void aStrategyOfOnesOwnIsTestedWithAnOrchestratorOnTheFakeService() throws Exception {
        ScriptedServiceRuntime service = new ScriptedServiceRuntime(endpoint ->
                request -> ScriptedResponse.ok("replica " + endpoint.port()));
        int base = TestSupport.twoFreePorts();
        Orchestrator orchestrator = Orchestrator.builder()
                .service(ContainerSpec.builder("shop").command("serve").build())
                .runtime(service).basePort(base).initialReplicas(2).minReplicas(2).maxReplicas(2)
                .strategy(canaryFirst(Endpoint.loopback(base + 1)))
                .healthProbe(HealthProbe.tcp(Duration.ofSeconds(2))).probeInterval(Duration.ofMillis(100))
                .startGracePeriod(Duration.ZERO).build();
        try (service; Gateway gateway = Gateway.builder().port(0).adminEnabled(false)
                .route("/", orchestrator, Ownership.OWNED).build().start();
             RawHttpClient http = new RawHttpClient(gateway.port())) {
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> orchestrator.status().ready() == 2);

            String body = http.send("GET / HTTP/1.1\r\nHost: shop\r\nX-Track: canary\r\n\r\n").read().body();

            assertThat(body).isEqualTo("replica " + (base + 1));
            assertThat(service.backend(base + 1).requests()).extracting(request -> request.header("X-Track"))
                    .containsExactly("canary");
        }
    }
}
