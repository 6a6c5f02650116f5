package io.longshore.examples.acts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every endpoint of the acts service, its errors, crash and health, and what sharing one
 * database means: what one replica writes another reads, duplicates are refused whichever
 * replica gets them, health checks of several replicas never collide, a database that goes
 * away turns the health check red. Runs against each database ({@link #database()}); every
 * test starts from dropped tables.
 */
abstract class ActsServerContract {
    static final String ACT = """
            {"actId": 7, "username": "ann", "timestamp": "01-01-2019:00-00-12",
             "caption": "a kind act", "categoryName": "kindness", "imgB64": "aGVsbG8="}""";

    private final HttpClient http = HttpClient.newHttpClient();
    final ObjectMapper json = new ObjectMapper();
    ActsServer server;

    /** The database under test; its acts tables are dropped before each test. */
    abstract DatabaseSettings database();

    @BeforeEach
    void startServer() throws Exception {
        TestDatabases.dropTables(database());
        server = ActsServer.start("127.0.0.1", 0, "replica-under-test", database());
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void categoriesStartEmptyAndCountTheActsInEach() throws Exception {
        assertThat(body(send("GET", "/api/v1/categories", null))).isEqualTo(json.readTree("{}"));
        send("POST", "/api/v1/categories", "[\"kindness\"]");
        send("POST", "/api/v1/categories", "[\"cats\"]");
        send("POST", "/api/v1/acts", ACT);

        HttpResponse<String> response = send("GET", "/api/v1/categories", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(body(response)).isEqualTo(json.readTree("{\"cats\": 0, \"kindness\": 1}"));
    }

    @Test
    void aCategoryIsAddedFromTheArrayFormAndFromTheObjectForm() throws Exception {
        assertThat(send("POST", "/api/v1/categories", "[\"cats\"]").statusCode()).isEqualTo(201);
        assertThat(send("POST", "/api/v1/categories", "{\"name\": \"dogs\"}").statusCode()).isEqualTo(201);

        assertThat(body(send("GET", "/api/v1/categories", null)).fieldNames())
                .toIterable().containsExactly("cats", "dogs");
    }

    @Test
    void aDuplicateCategoryIsAConflict() throws Exception {
        send("POST", "/api/v1/categories", "[\"cats\"]");

        HttpResponse<String> response = send("POST", "/api/v1/categories", "{\"name\": \"cats\"}");

        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(error(response)).contains("already exists");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "[\"cats\"", "{\"nom\": \"cats\"}", "[]", "[\"a\", \"b\"]", "[42]",
        "\"cats\"", "{\"name\": \"  \"}", "{\"name\": \"a/b\"}", "[\"cats\"] [\"dogs\"]", "{\"name\": \"cats\"}]",
        "{\"name\": \"cats\", \"name\": \"dogs\"}", "[\"ca\\u0000ts\"]"})
    void aBadCategoryBodyIsABadRequestWithAMessage(String body) throws Exception {
        HttpResponse<String> response = send("POST", "/api/v1/categories", body);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(error(response)).isNotBlank();
    }

    @Test
    void aPostedActIsListedInItsCategoryAndCounted() throws Exception {
        send("POST", "/api/v1/categories", "[\"kindness\"]");

        HttpResponse<String> created = send("POST", "/api/v1/acts", ACT);

        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode acts = body(send("GET", "/api/v1/categories/kindness/acts", null));
        assertThat(acts).hasSize(1);
        assertThat(acts.get(0).get("actId").asLong()).isEqualTo(7);
        assertThat(acts.get(0).get("caption").asText()).isEqualTo("a kind act");
        assertThat(acts.get(0).get("imgB64").asText()).isEqualTo("aGVsbG8=");
        assertThat(body(send("GET", "/api/v1/acts/count", null))).isEqualTo(json.readTree("[1]"));
    }

    @Test
    void anActNeedsOnlyItsRequiredFields() throws Exception {
        send("POST", "/api/v1/categories", "[\"kindness\"]");
        String minimal = "{\"actId\": 1, \"username\": \"ann\", \"caption\": \"c\", \"categoryName\": \"kindness\"}";

        assertThat(send("POST", "/api/v1/acts", minimal).statusCode()).isEqualTo(201);
    }

    @ParameterizedTest
    @ValueSource(strings = {"actId", "username", "caption", "categoryName"})
    void anActWithoutARequiredFieldIsABadRequestNamingTheField(String field) throws Exception {
        send("POST", "/api/v1/categories", "[\"kindness\"]");
        ObjectNode act = (ObjectNode) json.readTree(ACT);
        act.remove(field);

        HttpResponse<String> response = send("POST", "/api/v1/acts", act.toString());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(error(response)).contains(field);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"actId\": ", "[1, 2]", "{\"actId\": \"seven\", \"username\": \"a\"}",
        "{\"actId\": -1, \"username\": \"a\", \"caption\": \"c\", \"categoryName\": \"kindness\"}",
        "{\"actId\": 1, \"username\": \"a\", \"caption\": \"c\", \"categoryName\": \"kindness\", \"imgB64\": \"%%%\"}",
        "{\"actId\": 1, \"username\": \"a\", \"caption\": \"c\", \"categoryName\": \"kindness\"} {\"actId\": 2}",
        "{\"actId\": 1, \"actId\": 2, \"username\": \"a\", \"caption\": \"c\", \"categoryName\": \"kindness\"}",
        "{\"actId\": 1, \"username\": \"a\\u0000\", \"caption\": \"c\", \"categoryName\": \"kindness\"}"})
    void aMalformedActIsABadRequestWithAMessage(String body) throws Exception {
        send("POST", "/api/v1/categories", "[\"kindness\"]");

        HttpResponse<String> response = send("POST", "/api/v1/acts", body);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(error(response)).isNotBlank();
    }

    @Test
    void anImageLongerThanTheLimitIsABadRequestNamingIt() throws Exception {
        send("POST", "/api/v1/categories", "[\"kindness\"]");
        ObjectNode act = (ObjectNode) json.readTree(ACT);
        act.put("imgB64", "A".repeat(ActsServer.MAX_IMAGE_B64_LENGTH + 4));

        HttpResponse<String> response = send("POST", "/api/v1/acts", act.toString());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(error(response)).contains("imgB64");
    }

    @Test
    void anImageAtTheLimitIsStored() throws Exception {
        send("POST", "/api/v1/categories", "[\"kindness\"]");
        ObjectNode act = (ObjectNode) json.readTree(ACT);
        act.put("imgB64", "A".repeat(ActsServer.MAX_IMAGE_B64_LENGTH));

        assertThat(send("POST", "/api/v1/acts", act.toString()).statusCode()).isEqualTo(201);
        assertThat(body(send("GET", "/api/v1/categories/kindness/acts", null)).get(0).get("imgB64").asText())
                .hasSize(ActsServer.MAX_IMAGE_B64_LENGTH);
    }

    @Test
    void aBodyLongerThanTheLimitIsAnswered413() throws Exception {
        HttpResponse<String> response = send("POST", "/api/v1/acts", " ".repeat(ActsServer.MAX_BODY_BYTES + 1));

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(error(response)).contains(Integer.toString(ActsServer.MAX_BODY_BYTES));
    }

    @Test
    void anActInAMissingCategoryIsNotFound() throws Exception {
        HttpResponse<String> response = send("POST", "/api/v1/acts", ACT);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(error(response)).contains("kindness");
    }

    @Test
    void anActWithATakenIdIsAConflict() throws Exception {
        send("POST", "/api/v1/categories", "[\"kindness\"]");
        send("POST", "/api/v1/acts", ACT);

        assertThat(send("POST", "/api/v1/acts", ACT).statusCode()).isEqualTo(409);
        assertThat(body(send("GET", "/api/v1/acts/count", null))).isEqualTo(json.readTree("[1]"));
    }

    @Test
    void theActsOfAMissingCategoryAreNotFound() throws Exception {
        assertThat(send("GET", "/api/v1/categories/nothing/acts", null).statusCode()).isEqualTo(404);
    }

    @Test
    void healthPassesWhileTheDatabaseWorks() throws Exception {
        HttpResponse<String> response = send("GET", "/api/v1/_health", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(body(response).get("healthy").asBoolean()).isTrue();
    }

    @Test
    void afterACrashHealthFailsForGoodButTheServiceStaysUp() throws Exception {
        assertThat(send("POST", "/api/v1/_crash", null).statusCode()).isEqualTo(200);

        assertThat(send("GET", "/api/v1/_health", null).statusCode()).isEqualTo(500);
        assertThat(send("GET", "/api/v1/_health", null).statusCode()).isEqualTo(500);
        assertThat(send("GET", "/api/v1/categories", null).statusCode()).isEqualTo(200);
    }

    @Test
    void aDelaySlowsEveryApiResponseFromThenOnUntilItIsReset() throws Exception {
        HttpResponse<String> set = send("POST", "/api/v1/_delay", "{\"ms\": 150}");
        assertThat(set.statusCode()).isEqualTo(200);
        assertThat(body(set)).isEqualTo(json.readTree("{\"delayMs\": 150}"));

        long start = System.nanoTime();
        assertThat(send("GET", "/api/v1/categories", null).statusCode()).isEqualTo(200);
        assertThat(System.nanoTime() - start).as("at least the delay").isGreaterThanOrEqualTo(150_000_000L);

        assertThat(body(send("POST", "/api/v1/_delay", "{\"ms\": 0}"))).isEqualTo(json.readTree("{\"delayMs\": 0}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{}", "{\"ms\": -1}", "{\"ms\": 60001}", "{\"ms\": \"5\"}", "{\"ms\": 1.5}", "[5]"})
    void aDelayOutsideZeroToAMinuteOrABadBodyIsAnswered400(String body) throws Exception {
        HttpResponse<String> response = send("POST", "/api/v1/_delay", body);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(send("GET", "/api/v1/_delay", null).statusCode()).isEqualTo(405);
    }

    @Test
    void countCountsApiRequestsButNotUnderscoreOnesAndDeleteResetsIt() throws Exception {
        send("GET", "/api/v1/categories", null);
        send("POST", "/api/v1/categories", "not json");
        send("GET", "/api/v1/acts/count", null);
        send("GET", "/api/v1/_health", null);

        assertThat(body(send("GET", "/api/v1/_count", null))).isEqualTo(json.readTree("[3]"));
        assertThat(send("DELETE", "/api/v1/_count", null).statusCode()).isEqualTo(200);
        assertThat(body(send("GET", "/api/v1/_count", null))).isEqualTo(json.readTree("[0]"));
    }

    @Test
    void everyResponseNamesTheReplicaEvenAnError() throws Exception {
        for (String path : new String[] {"/api/v1/categories", "/nowhere", "/api/v1/_health", "/api/v1/acts"}) {
            assertThat(send("GET", path, null).headers().firstValue(ActsServer.REPLICA_HEADER))
                    .as(path).contains("replica-under-test");
        }
    }

    @Test
    void everyResponseNamesTheVersionV1UnlessTheServerRunsAnother() throws Exception {
        for (String path : new String[] {"/api/v1/categories", "/nowhere", "/api/v1/_health"}) {
            assertThat(send("GET", path, null).headers().firstValue(ActsServer.VERSION_HEADER)).as(path).contains("v1");
        }
        try (ActsServer v2 = ActsServer.start("127.0.0.1", 0, "other", "v2", database())) {
            assertThat(send(v2, "GET", "/api/v1/acts/count", null).headers().firstValue(ActsServer.VERSION_HEADER))
                    .contains("v2");
            assertThat(v2.version()).isEqualTo("v2");
        }
    }

    @Test
    void anUnknownPathIsNotFoundAndAWrongMethodIsNotAllowed() throws Exception {
        assertThat(send("GET", "/api/v1/nothing", null).statusCode()).isEqualTo(404);
        assertThat(send("GET", "/api/v1/categories/x/y", null).statusCode()).isEqualTo(404);
        HttpResponse<String> wrongMethod = send("PUT", "/api/v1/acts/count", "[]");
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(error(wrongMethod)).contains("GET");
    }

    @ParameterizedTest
    @ValueSource(strings = {"PUT /api/v1/acts/count -> GET, HEAD", "DELETE /api/v1/categories -> GET, HEAD, POST",
        "GET /api/v1/acts -> POST", "HEAD /api/v1/_crash -> POST", "POST /api/v1/categories/x/acts -> GET, HEAD",
        "PUT /api/v1/_count -> GET, HEAD, DELETE"})
    void aWrongMethodIsAnswered405WithAnAllowHeaderNamingTheMethodsThatAre(String exchange) throws Exception {
        String[] request = exchange.split(" -> ")[0].split(" ");

        HttpResponse<String> response = send(request[0], request[1], null);

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().allValues("Allow")).containsExactly(exchange.split(" -> ")[1]);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/categories", "/api/v1/acts/count", "/api/v1/categories/kindness/acts/size",
        "/api/v1/categories/nothing/acts", "/api/v1/_health", "/nowhere"})
    void headIsAnsweredWithTheHeadOfTheGetAndNoBody(String path) throws Exception {
        send("POST", "/api/v1/categories", "[\"kindness\"]");
        send("POST", "/api/v1/acts", ACT);
        HttpResponse<String> get = send("GET", path, null);

        HttpResponse<String> head = send("HEAD", path, null);

        assertThat(head.statusCode()).isEqualTo(get.statusCode());
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue("Content-Length"))
                .contains(Integer.toString(get.body().getBytes(StandardCharsets.UTF_8).length));
        assertThat(head.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(head.headers().firstValue(ActsServer.REPLICA_HEADER)).contains("replica-under-test");
    }

    @Test
    void withoutAReplicaIdTheReplicaIsNamedByHostAndPort() throws Exception {
        try (ActsServer unnamed = ActsServer.start("127.0.0.1", 0, null, database())) {
            assertThat(unnamed.replicaId()).isEqualTo("127.0.0.1:" + unnamed.port());
        }
    }

    @Test
    void whatOneReplicaWritesAnotherReplicaReads() throws Exception {
        try (ActsServer other = ActsServer.start("127.0.0.1", 0, "other", database())) {
            send("POST", "/api/v1/categories", "[\"kindness\"]");
            send("POST", "/api/v1/acts", ACT);

            assertThat(body(send(other, "GET", "/api/v1/categories", null))).isEqualTo(json.readTree("{\"kindness\": 1}"));
            JsonNode acts = body(send(other, "GET", "/api/v1/categories/kindness/acts", null));
            assertThat(acts).hasSize(1);
            assertThat(acts.get(0).get("caption").asText()).isEqualTo("a kind act");
            assertThat(body(send(other, "GET", "/api/v1/acts/count", null))).isEqualTo(json.readTree("[1]"));
        }
    }

    @Test
    void anActIdOrACategoryTakenThroughAnotherReplicaIsAConflict() throws Exception {
        try (ActsServer other = ActsServer.start("127.0.0.1", 0, "other", database())) {
            send("POST", "/api/v1/categories", "[\"kindness\"]");
            send("POST", "/api/v1/acts", ACT);

            assertThat(send(other, "POST", "/api/v1/categories", "[\"kindness\"]").statusCode()).isEqualTo(409);
            HttpResponse<String> retried = send(other, "POST", "/api/v1/acts", ACT);
            assertThat(retried.statusCode()).isEqualTo(409);
            assertThat(error(retried)).contains("act already exists: 7");
            assertThat(body(send("GET", "/api/v1/acts/count", null))).isEqualTo(json.readTree("[1]"));
        }
    }

    @Test
    void theSameActPostedThroughTwoReplicasAtOnceIsAddedOnceAndRefusedTheOtherTimes() throws Exception {
        send("POST", "/api/v1/categories", "[\"kindness\"]");
        try (ActsServer other = ActsServer.start("127.0.0.1", 0, "other", database())) {
            List<Integer> statuses = concurrently(8, i -> send(i % 2 == 0 ? server : other, "POST", "/api/v1/acts", ACT)
                    .statusCode());

            assertThat(statuses).containsOnlyOnce(201).containsOnly(201, 409);
            assertThat(body(send(other, "GET", "/api/v1/acts/count", null))).isEqualTo(json.readTree("[1]"));
        }
    }

    @Test
    void healthChecksOfSeveralReplicasAtOnceAllPassAndLeaveNoRowBehind() throws Exception {
        try (ActsServer other = ActsServer.start("127.0.0.1", 0, "other", database())) {
            List<Integer> statuses = concurrently(40, i -> send(i % 2 == 0 ? server : other, "GET",
                    "/api/v1/_health", null).statusCode());

            assertThat(statuses).containsOnly(200);
            assertThat(TestDatabases.rows(database(), "health_checks")).isZero();
        }
    }

    @Test
    void replicasCreatingTheTablesAtTheSameMomentAllSucceed() throws Exception {
        TestDatabases.dropTables(database());
        DatabaseSettings db = database();
        CountDownLatch together = new CountDownLatch(6);

        List<Boolean> created = concurrently(6, i -> {
            try (Connection connection = DriverManager.getConnection(db.url(), db.user(), db.password())) {
                together.countDown();
                together.await();
                ActsSchema.create(connection);
                return true;
            }
        });

        assertThat(created).containsOnly(true);
        assertThat(send("POST", "/api/v1/categories", "[\"cats\"]").statusCode()).isEqualTo(201);
    }

    @Test
    void whileTheDatabaseCannotBeReachedTheHealthCheckAnswers500() throws Exception {
        try (ActsServer cut = ActsServer.start("127.0.0.1", 0, "cut-off", unreachable())) {
            HttpResponse<String> health = send(cut, "GET", "/api/v1/_health", null);

            assertThat(health.statusCode()).isEqualTo(500);
            assertThat(body(health).get("healthy").asBoolean()).isFalse();
            assertThat(body(health).get("reason").asText()).startsWith("database: ");
            assertThat(send(cut, "GET", "/api/v1/categories", null).statusCode()).isEqualTo(500);
        }
    }

    /** {@link #database()} with the port of something that does not listen. */
    DatabaseSettings unreachable() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        String url = database().url().replaceFirst("127\\.0\\.0\\.1:\\d+", "127.0.0.1:" + closed);
        assertThat(url).isNotEqualTo(database().url());
        return new DatabaseSettings(url, database().user(), database().password());
    }

    /** Runs {@code task(0..n-1)} on n threads at once; their results in order. */
    static <T> List<T> concurrently(int n, Task<T> task) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(n);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(threads.submit(() -> task.run(index)));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            threads.shutdownNow();
        }
    }

    /** One of {@link #concurrently}'s tasks. */
    interface Task<T> {
        T run(int index) throws Exception;
    }

    HttpResponse<String> send(String method, String path, String body) throws Exception {
        return send(server, method, path, body);
    }

    HttpResponse<String> send(ActsServer to, String method, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + to.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json")
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    JsonNode body(HttpResponse<String> response) throws IOException {
        return json.readTree(response.body());
    }

    String error(HttpResponse<String> response) throws IOException {
        return body(response).path("error").asText();
    }
}
