package io.longshore.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.longshore.api.ContainerSpec;
import io.longshore.core.Orchestrator;
import io.longshore.core.RolloutConfig;
import io.longshore.testkit.DeterministicScheduler;
import io.longshore.testkit.FakeContainerRuntime;
import io.longshore.testkit.ManualClock;
import io.longshore.testkit.ScriptedProbe;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The admin API's rollouts against a real orchestrator on virtual time behind a real gateway:
 * {@code GET|POST /rollout}, {@code POST /rollout/pause|resume|undo}, their JSON shapes, and the
 * 4xx for bad bodies, unknown fields, wrong methods, no rollout and fixed backends. While a
 * request waits for the orchestrator's answer the test drives the loop.
 */
@ParameterizedClass
@EnumSource(Transport.class)
class GatewayRolloutAdminTest {
    @Parameter
    Transport transport;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> SHAPE = List.of("state", "fromSpec", "toSpec", "updated", "total", "reason");

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-02T03:04:05Z"));
    private final DeterministicScheduler scheduler = new DeterministicScheduler(clock);
    private final FakeContainerRuntime runtime = new FakeContainerRuntime(clock);
    private final ScriptedProbe probe = new ScriptedProbe();
    private final HttpClient client = TestSupport.client();
    private final ContainerSpec v1 = ContainerSpec.builder("acts").image("acts:1").command("serve")
            .env("ACTS_DATABASE_URL", "jdbc:h2:tcp://127.0.0.1/acts").env("ACTS_VERSION", "v1").build();
    private Orchestrator orchestrator;
    private TestGateway gateway;

    private void start(String bearerToken) {
        orchestrator = Orchestrator.builder().service(v1).runtime(runtime).clock(clock).scheduler(scheduler)
                .runtimeExecutor(Runnable::run).probeExecutor(Runnable::run).initialReplicas(2).basePort(8000).healthProbe(probe)
                .startGracePeriod(Duration.ofMinutes(10))
                .rollout(RolloutConfig.builder().minReady(Duration.ofSeconds(1)).build()).build();
        GatewayBuilder builder = Gateway.builder().route("/", orchestrator);
        gateway = transport.start(bearerToken == null ? builder : builder.bearerToken(bearerToken));
        orchestrator.start();
        clock.advance(Duration.ofSeconds(3));
    }

    @AfterEach
    void stop() {
        TestSupport.stop(client);
        if (gateway != null) {
            gateway.close();
        }
        if (orchestrator != null) {
            orchestrator.close();
            clock.advance(Duration.ofMinutes(1));
        }
    }

    /** Sends an admin request and drives the loop until it is answered. */
    private ContentResponse admin(String method, String path, String body, String token) {
        var request = client.newRequest("http://127.0.0.1:" + gateway.adminPort() + path).method(method);
        if (body != null) {
            request.body(new StringRequestContent("application/json", body));
        }
        if (token != null) {
            request.headers(h -> h.put("Authorization", "Bearer " + token));
        }
        CompletableFuture<ContentResponse> sent = CompletableFuture.supplyAsync(() -> {
            try {
                return request.send();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5)).until(() -> {
            scheduler.runPending();
            return sent.isDone();
        });
        return sent.join();
    }

    private ContentResponse admin(String method, String path, String body) {
        return admin(method, path, body, null);
    }

    /** Sends {@code POST path} with {@code body} without driving the loop. */
    private CompletableFuture<ContentResponse> postAsync(String path, String body) {
        var request = client.newRequest("http://127.0.0.1:" + gateway.adminPort() + path).method("POST")
                .body(new StringRequestContent("application/json", body));
        return CompletableFuture.supplyAsync(() -> {
            try {
                return request.send();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private JsonNode json(ContentResponse response, int status) throws Exception {
        assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(status);
        assertThat(response.getMediaType()).isEqualTo("application/json");
        return JSON.readTree(response.getContent());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void twoChangesPostedAtOnceAreBothMergedNeitherUndoesTheOther() throws Exception {
        start(null);
        scheduler.runPending();
        int idle = scheduler.pendingTasks();

        CompletableFuture<ContentResponse> first = postAsync("/rollout", "{\"env\": {\"A\": \"1\"}}");
        CompletableFuture<ContentResponse> second = postAsync("/rollout", "{\"env\": {\"B\": \"2\"}}");
        await("both requests wait for the loop").atMost(Duration.ofSeconds(10))
                .until(() -> scheduler.pendingTasks() >= idle + 2);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5)).until(() -> {
            scheduler.runPending();
            return first.isDone() && second.isDone();
        });

        json(first.join(), 200);
        json(second.join(), 200);
        assertThat(orchestrator.spec().env()).containsEntry("A", "1").containsEntry("B", "2")
                .containsEntry("ACTS_VERSION", "v1");
    }

    @Test
    void postRolloutMergesTheBodyIntoTheSpecAndGetRolloutAnswersWithExactlyTheDocumentedFields() throws Exception {
        start(null);

        JsonNode started = json(admin("POST", "/rollout", "{\"env\": {\"ACTS_VERSION\": \"v2\"}}"), 200);

        assertThat(fieldNames(started)).containsExactlyElementsOf(SHAPE);
        assertThat(started.get("state").asText()).isEqualTo("PROGRESSING");
        assertThat(started.get("updated").asInt()).isZero();
        assertThat(started.get("total").asInt()).isEqualTo(2);
        assertThat(started.get("reason").asText()).isEqualTo("update requested");
        assertThat(started.get("fromSpec").asText()).isNotEqualTo(started.get("toSpec").asText()).hasSize(16);
        assertThat(orchestrator.spec().env()).containsEntry("ACTS_VERSION", "v2")
                .containsEntry("ACTS_DATABASE_URL", "jdbc:h2:tcp://127.0.0.1/acts");
        assertThat(orchestrator.spec().image()).isEqualTo("acts:1");

        clock.advance(Duration.ofSeconds(30));

        JsonNode done = json(admin("GET", "/rollout", null), 200);
        assertThat(fieldNames(done)).containsExactlyElementsOf(SHAPE);
        assertThat(done.get("state").asText()).isEqualTo("COMPLETE");
        assertThat(done.get("updated").asInt()).isEqualTo(2);
        assertThat(done.get("toSpec").asText()).isEqualTo(started.get("toSpec").asText());
        JsonNode replicas = json(admin("GET", "/replicas", null), 200);
        assertThat(replicas).hasSize(2).allSatisfy(r -> assertThat(r.get("specHash").asText())
                .isEqualTo(started.get("toSpec").asText()));
    }

    @Test
    void imageCommandAndEnvAreMergedAndANullVariableIsRemoved() throws Exception {
        start(null);

        json(admin("POST", "/rollout",
                "{\"image\": \"acts:2\", \"command\": [\"serve\", \"--fast\"], \"env\": {\"ACTS_VERSION\": null}}"), 200);

        assertThat(orchestrator.spec().image()).isEqualTo("acts:2");
        assertThat(orchestrator.spec().command()).containsExactly("serve", "--fast");
        assertThat(orchestrator.spec().env()).doesNotContainKey("ACTS_VERSION").containsKey("ACTS_DATABASE_URL");
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', value = {
        "not json|the body is not JSON",
        "[1, 2]|expected a JSON object",
        "''|expected a JSON object",
        "{\"tag\": \"v2\"}|unknown field 'tag'; the fields are [image, command, env]",
        "{\"image\": 2}|'image' must be a non-blank string",
        "{\"image\": \" \"}|'image' must be a non-blank string",
        "{\"command\": \"serve\"}|'command' must be an array of strings",
        "{\"command\": [\"serve\", 1]}|'command' must be an array of strings; 1 is not one",
        "{\"env\": [\"A=1\"]}|'env' must be an object of strings",
        "{\"env\": {\"A\": 1}}|'env' must map names to strings",
        "{\"image\": \"acts:2\", \"command\": [], \"env\": {}, \"x\": 1}|unknown field 'x'",
        "{\"env\": {\"A\": \"1\"}}garbage|the body is not JSON",
        "{\"env\": {\"A=B\": \"x\"}}|the merged spec is not valid: env name must not contain '='",
        "{\"env\": {\"A\": \"a\\u0000b\"}}|the merged spec is not valid: env value of 'A' must not contain NUL"})
    void aBadBodyIs400AndSaysWhatIsWrong(String body, String error) throws Exception {
        start(null);

        JsonNode answer = json(admin("POST", "/rollout", body), 400);

        assertThat(answer.get("error").asText()).contains(error);
        assertThat(orchestrator.rollout()).isEmpty();
    }

    @Test
    void noRolloutYetIs404ForGetAnd409ForPauseResumeAndUndo() throws Exception {
        start(null);

        assertThat(json(admin("GET", "/rollout", null), 404).get("error").asText())
                .isEqualTo("no rollout has been started: POST /rollout starts one");
        for (String action : List.of("pause", "resume", "undo")) {
            assertThat(json(admin("POST", "/rollout/" + action, null), 409).get("error").asText())
                    .isEqualTo("no rollout to " + action + ": none was started");
        }
        assertThat(json(admin("POST", "/rollout", "{}"), 409).get("error").asText()).startsWith("the spec is unchanged");
    }

    @Test
    void pauseResumeAndUndoAnswerWithTheRolloutsNewStateOr409WhenItDoesNotFit() throws Exception {
        start(null);
        probe.set(8002, ScriptedProbe.Answer.FAIL);
        json(admin("POST", "/rollout", "{\"image\": \"acts:2\"}"), 200);

        JsonNode paused = json(admin("POST", "/rollout/pause", null), 200);
        assertThat(fieldNames(paused)).containsExactlyElementsOf(SHAPE);
        assertThat(paused.get("state").asText()).isEqualTo("PAUSED");
        assertThat(paused.get("reason").asText()).isEqualTo("paused by request");
        assertThat(json(admin("POST", "/rollout/pause", null), 409).get("error").asText()).contains("it is PAUSED");
        assertThat(json(admin("POST", "/rollout/resume", null), 200).get("state").asText()).isEqualTo("PROGRESSING");

        JsonNode undone = json(admin("POST", "/rollout/undo", null), 200);

        assertThat(undone.get("state").asText()).isEqualTo("ROLLED_BACK");
        assertThat(undone.get("reason").asText()).isEqualTo("undone by request");
        assertThat(json(admin("GET", "/rollout", null), 200).get("state").asText()).isEqualTo("ROLLED_BACK");
        assertThat(json(admin("POST", "/rollout/undo", null), 409).get("error").asText()).contains("ROLLED_BACK");
        assertThat(orchestrator.spec()).isEqualTo(v1);
    }

    @Test
    void wrongMethodsAre405AndUnknownRolloutPaths404() throws Exception {
        start(null);

        assertThat(json(admin("GET", "/rollout/pause", null), 405).get("error").asText()).isEqualTo("use POST");
        assertThat(json(admin("PUT", "/rollout", "{}"), 405).get("error").asText()).isEqualTo("use GET or POST");
        assertThat(json(admin("POST", "/rollout/restart", null), 404).get("error").asText())
                .contains("/rollout/pause");
    }

    @Test
    void theRolloutPathsNeedTheBearerTokenLikeEveryOtherAdminPath() throws Exception {
        start("s3cret");

        assertThat(admin("GET", "/rollout", null).getStatus()).isEqualTo(401);
        assertThat(admin("POST", "/rollout", "{\"image\": \"acts:2\"}").getStatus()).isEqualTo(401);
        assertThat(orchestrator.rollout()).isEmpty();
        assertThat(json(admin("POST", "/rollout", "{\"image\": \"acts:2\"}", "s3cret"), 200).get("state").asText())
                .isEqualTo("PROGRESSING");
    }

    @Test
    void fixedBackendsHaveNoSpecToRollOut() throws Exception {
        gateway = transport.start(Gateway.builder().router(new RoundRobinTestRouter(9)));

        assertThat(json(admin("POST", "/rollout", "{\"image\": \"acts:2\"}"), 409).get("error").asText())
                .contains("has fixed backends");
        assertThat(json(admin("GET", "/rollout", null), 409).get("error").asText()).contains("has fixed backends");
    }
}
