package io.longshore.examples.acts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The acts of a category: a listing holds at most 100 acts (more is a 413), ranges
 * {@code ?start=S&end=E} list positions S to E of the acts in id order, {@code acts/size} counts
 * them, and a listing is streamed (chunked, its HEAD without a length), decided and read from
 * one snapshot of the database, and cut short when it fails after its head. Runs against each
 * database ({@link #database()}); every test starts from dropped tables.
 */
abstract class CategoryActsContract {
    private static final String ACTS = "/api/v1/categories/kindness/acts";
    private static final int POSTS_AT_ONCE = 10;
    /** How the SQL of a listing's acts starts. */
    private static final String LISTING_SELECT = "SELECT act_id, username";

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private ActsServer server;
    private ActsServer hookedReplica;

    /** The database under test; its acts tables are dropped before each test. */
    abstract DatabaseSettings database();

    @BeforeEach
    void startServer() throws Exception {
        TestDatabases.dropTables(database());
        server = ActsServer.start("127.0.0.1", 0, "replica-under-test", database());
        assertThat(send("POST", "/api/v1/categories", "[\"kindness\"]").statusCode()).isEqualTo(201);
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
        if (hookedReplica != null) {
            hookedReplica.close();
        }
    }

    @Test
    void aListingIsInTheOrderOfTheActsIdsWhateverTheOrderTheyWerePostedIn() throws Exception {
        post(30, 10, 20);

        assertThat(ids(send("GET", ACTS, null))).containsExactly(10L, 20L, 30L);
    }

    @Test
    void aCategoryOfAtMost100ActsIsListedWhole() throws Exception {
        post(LongStream.rangeClosed(1, CategoryActs.MAX_LISTED).toArray());

        HttpResponse<String> listing = send("GET", ACTS, null);

        assertThat(listing.statusCode()).isEqualTo(200);
        assertThat(ids(listing)).containsExactlyElementsOf(range(1, CategoryActs.MAX_LISTED));
    }

    @Test
    void aCategoryOfMoreThan100ActsIsAnswered413NamingTheCountAndTheWayToListThemInRanges() throws Exception {
        post(LongStream.rangeClosed(1, CategoryActs.MAX_LISTED + 1).toArray());

        HttpResponse<String> listing = send("GET", ACTS, null);

        assertThat(listing.statusCode()).isEqualTo(413);
        assertThat(error(listing)).contains("kindness", "holds 101 acts", "at most 100", "?start=S&end=E");
    }

    @Test
    void rangesListTheActsAtThosePositionsInIdOrder() throws Exception {
        post(LongStream.rangeClosed(1, 150).map(i -> 151 - i).toArray());

        assertThat(ids(send("GET", ACTS + "?start=1&end=100", null))).containsExactlyElementsOf(range(1, 100));
        assertThat(ids(send("GET", ACTS + "?start=101&end=200", null))).containsExactlyElementsOf(range(101, 150));
        assertThat(ids(send("GET", ACTS + "?end=42&start=40", null))).containsExactly(40L, 41L, 42L);
        assertThat(ids(send("GET", ACTS + "?start=7&end=7&other=x", null))).containsExactly(7L);
    }

    @Test
    void aRangeStartingPastTheLastActIsAnEmptyList() throws Exception {
        post(1, 2, 3);

        HttpResponse<String> listing = send("GET", ACTS + "?start=4&end=10", null);

        assertThat(listing.statusCode()).isEqualTo(200);
        assertThat(ids(listing)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"start=1&end=101", "start=50&end=1000", "start=1&end=999999999999999999"})
    void aRangeOfMoreThan100ActsIsAnswered413(String query) throws Exception {
        post(1, 2, 3);

        HttpResponse<String> listing = send("GET", ACTS + "?" + query, null);

        assertThat(listing.statusCode()).isEqualTo(413);
        assertThat(error(listing)).contains("at most 100");
    }

    @ParameterizedTest
    @ValueSource(strings = {"start=0&end=5", "start=3&end=2", "start=1", "end=5", "start=a&end=5", "start=-1&end=5",
        "start=1&end=5&start=2", "start=&end=", "start=1.5&end=5", "start=+1&end=5", "start=1&end=9999999999999999999",
        "start&end"})
    void aMalformedOrInvertedRangeIsABadRequestWithAMessage(String query) throws Exception {
        post(1, 2, 3);

        HttpResponse<String> listing = send("GET", ACTS + "?" + query, null);

        assertThat(listing.statusCode()).isEqualTo(400);
        assertThat(error(listing)).isNotBlank();
    }

    @Test
    void theActsOfAMissingCategoryAreNotFoundWithOrWithoutARange() throws Exception {
        assertThat(send("GET", "/api/v1/categories/nothing/acts", null).statusCode()).isEqualTo(404);
        assertThat(send("GET", "/api/v1/categories/nothing/acts?start=1&end=10", null).statusCode()).isEqualTo(404);
    }

    @Test
    void sizeCountsTheActsOfACategoryAndOfNoOther() throws Exception {
        assertThat(body(send("GET", ACTS + "/size", null))).isEqualTo(json.readTree("[0]"));
        assertThat(send("POST", "/api/v1/categories", "[\"cats\"]").statusCode()).isEqualTo(201);
        post(1, 2, 3);

        HttpResponse<String> size = send("GET", ACTS + "/size", null);

        assertThat(size.statusCode()).isEqualTo(200);
        assertThat(body(size)).isEqualTo(json.readTree("[3]"));
        assertThat(body(send("GET", "/api/v1/categories/cats/acts/size", null))).isEqualTo(json.readTree("[0]"));
    }

    @Test
    void theSizeOfAMissingCategoryIsNotFoundAndSizeTakesOnlyGetAndHead() throws Exception {
        HttpResponse<String> missing = send("GET", "/api/v1/categories/nothing/acts/size", null);
        HttpResponse<String> posted = send("POST", ACTS + "/size", "[]");

        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(error(missing)).contains("nothing");
        assertThat(posted.statusCode()).isEqualTo(405);
        assertThat(posted.headers().allValues("Allow")).containsExactly("GET, HEAD");
        assertThat(send("HEAD", ACTS + "/size", null).headers().firstValue("Content-Length")).contains("3");
    }

    @Test
    void aListingIsStreamedInChunksAndItsHeadHasTheGetsStatusWithoutALengthOrBody() throws Exception {
        post(1, 2);
        HttpResponse<String> get = send("GET", ACTS, null);

        HttpResponse<String> head = send("HEAD", ACTS, null);

        assertThat(get.headers().firstValue("Transfer-Encoding")).contains("chunked");
        assertThat(get.headers().firstValue("Content-Length")).isEmpty();
        assertThat(head.statusCode()).isEqualTo(get.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue("Content-Length")).isEmpty();
        assertThat(head.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(head.headers().firstValue(ActsServer.REPLICA_HEADER)).contains("replica-under-test");
    }

    @Test
    void theHeadOfARefusedListingIsTheGetsWithItsLength() throws Exception {
        HttpResponse<String> get = send("GET", ACTS + "?start=0&end=1", null);

        HttpResponse<String> head = send("HEAD", ACTS + "?start=0&end=1", null);

        assertThat(head.statusCode()).isEqualTo(get.statusCode()).isEqualTo(400);
        assertThat(head.headers().firstValue("Content-Length")).contains(Integer.toString(get.body().length()));
    }

    @Test
    void aListingsCountAndItsActsComeFromOneSnapshotThoughAnotherReplicaAddsAnActInBetween() throws Exception {
        post(LongStream.rangeClosed(2, CategoryActs.MAX_LISTED + 1).toArray());
        ActsServer lister = startHookedReplica(new HookedConnections(database(), LISTING_SELECT)
                .onceBeforePreparing(() -> post(1))); // through the other replica, after the count

        HttpResponse<String> listing = http.send(request(lister, "GET", ACTS, null),
                HttpResponse.BodyHandlers.ofString());

        assertThat(ids(listing)).as("the 100 acts the count saw, not the first 100 of the 101 there are by then")
                .containsExactlyElementsOf(range(2, CategoryActs.MAX_LISTED + 1));
        assertThat(send("GET", ACTS, null).statusCode()).as("a listing decided after the act came").isEqualTo(413);
    }

    @Test
    void aListingThatFailsAfterItsHeadIsCutShortNeverEndedAsIfWhole() throws Exception {
        post(1, 2, 3, 4, 5);
        ActsServer failing = startHookedReplica(new HookedConnections(database(), LISTING_SELECT).failingAtRow(3));

        HttpResponse<InputStream> listing = http.send(request(failing, "GET", ACTS, null),
                HttpResponse.BodyHandlers.ofInputStream());

        assertThat(listing.statusCode()).isEqualTo(200);
        try (InputStream body = listing.body()) {
            assertThatThrownBy(body::readAllBytes).as("reading a body that ends before its last chunk")
                    .isInstanceOf(IOException.class);
        }
    }

    /**
     * Posts an act of each id, {@value #POSTS_AT_ONCE} at a time, so that filling a category with
     * a hundred acts and more takes a fraction of a second.
     */
    private void post(long... ids) throws Exception {
        for (int first = 0; first < ids.length; first += POSTS_AT_ONCE) {
            List<CompletableFuture<HttpResponse<String>>> posts = new ArrayList<>();
            for (int i = first; i < Math.min(ids.length, first + POSTS_AT_ONCE); i++) {
                String act = "{\"actId\": " + ids[i] + ", \"username\": \"ann\", \"caption\": \"act " + ids[i]
                        + "\", \"categoryName\": \"kindness\", \"imgB64\": \"aGVsbG8=\"}";
                posts.add(http.sendAsync(request("POST", "/api/v1/acts", act), HttpResponse.BodyHandlers.ofString()));
            }
            for (int i = 0; i < posts.size(); i++) {
                assertThat(posts.get(i).get().statusCode()).as("POST act %d", ids[first + i]).isEqualTo(201);
            }
        }
    }

    /** Starts a second replica on the same database, with its connections from {@code connections}. */
    private ActsServer startHookedReplica(HookedConnections connections) throws IOException {
        hookedReplica = ActsServer.start("127.0.0.1", 0, "hooked-replica", ActsServer.DEFAULT_VERSION, database(),
                connections);
        return hookedReplica;
    }

    private static List<Long> range(long first, long last) {
        return LongStream.rangeClosed(first, last).boxed().toList();
    }

    private List<Long> ids(HttpResponse<String> listing) throws Exception {
        assertThat(listing.statusCode()).as("status of %s", listing.uri()).isEqualTo(200);
        List<Long> ids = new ArrayList<>();
        for (JsonNode act : body(listing)) {
            ids.add(act.get("actId").asLong());
        }
        return ids;
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        return http.send(request(method, path, body), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest request(String method, String path, String body) {
        return request(server, method, path, body);
    }

    private HttpRequest request(ActsServer to, String method, String path, String body) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + to.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private JsonNode body(HttpResponse<String> response) throws Exception {
        return json.readTree(response.body());
    }

    private String error(HttpResponse<String> response) throws Exception {
        return body(response).path("error").asText();
    }
}
