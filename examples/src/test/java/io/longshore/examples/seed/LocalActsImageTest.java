package io.longshore.examples.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.longshore.docker.DockerRuntime;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The acts service itself runs in Docker without a registry: {@code --image longshore/acts:local}
 * builds the image from this JDK and class path, and the seed app serves the acts API from it.
 */
class LocalActsImageTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theLocallyBuiltActsImageServesTheActsApiThroughTheGateway() throws Exception {
        DockerEngine.assumeAnswers();
        SeedOptions options = SeedOptions.parse("--runtime", "docker", "--image", LocalActsImage.TAG,
                "--base-port", "24300", "--port", "24390", "--admin-port", "24391", "--max", "2");

        try (SeedApp app = SeedApp.start(options)) {
            await("the acts container answers through the gateway").atMost(Duration.ofSeconds(60))
                    .ignoreExceptions().until(() -> send("GET", "/api/v1/categories", null).statusCode() == 200);

            HttpResponse<String> created = send("POST", "/api/v1/categories", "[\"docker\"]");
            HttpResponse<String> categories = send("GET", "/api/v1/categories", null);

            assertThat(created.statusCode()).isEqualTo(201);
            assertThat(categories.body()).isEqualTo("{\"docker\":0}");
            assertThat(categories.headers().firstValue("X-Replica")).contains("127.0.0.1:24300");
        }

        try (DockerRuntime docker = DockerRuntime.builder().build()) {
            await("no container left after close").atMost(Duration.ofSeconds(15))
                    .until(() -> docker.list(Map.of(SeedRuntimes.EXAMPLE_LABEL, SeedRuntimes.SERVICE)).isEmpty());
        }
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:24390" + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
