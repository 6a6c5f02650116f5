package io.longshore.examples.seed;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed main says "ready" only once a request gets an answer from a replica: right after the
 * start the first replica is still starting and the gateway answers 503, so the start waits for
 * it ({@link SeedApp#awaitServing}).
 */
class SeedServingTest {
    @TempDir
    Path dataDir;

    @Test
    void onceServingTheFirstRequestIsAnsweredByAReplica() throws Exception {
        SeedOptions options = SeedOptions.parse("--runtime", "process", "--base-port", "24700",
                "--port", "24780", "--admin-port", "24781", "--data-dir", dataDir.toString());
        try (SeedApp app = SeedApp.start(options)) {
            assertThat(app.awaitServing(Duration.ofSeconds(60))).isTrue();

            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:24780/api/v1/categories")).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(app.orchestrator().orElseThrow().status().ready()).isPositive();
        }
    }

    @Test
    void staticBackendsAreServingAtOnce() throws Exception {
        try (SeedApp app = SeedApp.start(SeedOptions.parse("--port", "24782", "--admin-port", "24783",
                "--static-backends", "127.0.0.1:24701"))) {
            assertThat(app.awaitServing(Duration.ZERO)).isTrue();
        }
    }
}
