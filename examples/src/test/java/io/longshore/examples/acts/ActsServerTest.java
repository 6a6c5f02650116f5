package io.longshore.examples.acts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ActsServerTest {
    private static final String ACT = """
            {"actId": 7, "username": "ann", "timestamp": "01-01-2019:00-00-12",
             "caption": "a kind act", "categoryName": "kindness", "imgB64": "aGVsbG8="}""";

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private ActsServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = ActsServer.start("127.0.0.1", 0, "replica-under-test");
    }

    @AfterEach
    void stopServer() {
        server.close();
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
        "\"cats\"", "{\"name\": \"  \"}", "{\"name\": \"a/b\"}"})
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
        "{\"actId\": 1, \"username\": \"a\", \"caption\": \"c\", \"categoryName\": \"kindness\", \"imgB64\": \"%%%\"}"})
    void aMalformedActIsABadRequestWithAMessage(String body) throws Exception {
        send("POST", "/api/v1/categories", "[\"kindness\"]");

        HttpResponse<String> response = send("POST", "/api/v1/acts", body);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(error(response)).isNotBlank();
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
    void anUnknownPathIsNotFoundAndAWrongMethodIsNotAllowed() throws Exception {
        assertThat(send("GET", "/api/v1/nothing", null).statusCode()).isEqualTo(404);
        assertThat(send("GET", "/api/v1/categories/x/y", null).statusCode()).isEqualTo(404);
        HttpResponse<String> wrongMethod = send("PUT", "/api/v1/acts/count", "[]");
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(error(wrongMethod)).contains("GET");
    }

    @Test
    void withoutAReplicaIdTheReplicaIsNamedByHostAndPort() throws Exception {
        try (ActsServer unnamed = ActsServer.start("127.0.0.1", 0, null)) {
            assertThat(unnamed.replicaId()).isEqualTo("127.0.0.1:" + unnamed.port());
        }
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json")
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode body(HttpResponse<String> response) throws IOException {
        return json.readTree(response.body());
    }

    private String error(HttpResponse<String> response) throws IOException {
        return body(response).path("error").asText();
    }
}
