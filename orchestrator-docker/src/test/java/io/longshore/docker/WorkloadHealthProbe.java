package io.longshore.docker;

import io.longshore.api.Backend;
import io.longshore.api.HealthProbe;
import io.longshore.api.ProbeResult;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * {@code GET /api/v1/_health} with the JDK's client: healthy on 2xx. A stand-in for the core's
 * {@code HttpHealthProbe}, so these tests need nothing beyond the frozen contracts. Thread-safe.
 */
final class WorkloadHealthProbe implements HealthProbe {
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofMillis(500)).build();

    @Override
    public CompletionStage<ProbeResult> probe(Backend backend) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + backend.endpoint() + "/api/v1/_health"))
                .timeout(Duration.ofSeconds(1)).GET().build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .thenApply(response -> response.statusCode() / 100 == 2
                        ? ProbeResult.pass(Integer.toString(response.statusCode()))
                        : ProbeResult.fail(Integer.toString(response.statusCode())));
    }

    @Override
    public String toString() {
        return "http GET /api/v1/_health";
    }
}
