package io.longshore.examples.acts;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The acts of a category: a listing is streamed (chunked, its HEAD without a length). Runs
 * against each database ({@link #database()}); every test starts from dropped tables.
 */
abstract class CategoryActsContract {
    private static final String ACTS = "/api/v1/categories/kindness/acts";

    private final HttpClient http = HttpClient.newHttpClient();
    private ActsServer server;

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

    private void post(long... ids) throws Exception {
        for (long id : ids) {
            String act = "{\"actId\": " + id + ", \"username\": \"ann\", \"caption\": \"act " + id
                    + "\", \"categoryName\": \"kindness\", \"imgB64\": \"aGVsbG8=\"}";
            assertThat(send("POST", "/api/v1/acts", act).statusCode()).as("POST act %d", id).isEqualTo(201);
        }
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
