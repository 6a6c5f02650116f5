package io.longshore.examples.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.longshore.core.Orchestrator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scale to zero end to end through the seed main's wiring: the gateway, the process runtime and
 * {@code --autoscaler target --min 0}. The first request after idle is held by the gateway and
 * answered once a replica has started, the cold start is in {@code /metrics}, and after the idle
 * time the service is back at zero. Waits are awaited, never slept.
 */
class SeedScaleToZeroTest {
    private static final int BASE = 24600;
    private static final int PORT = 24680;
    private static final int ADMIN = 24681;
    @TempDir
    Path dataDir;

    @Test
    void theFirstRequestAfterIdleIsHeldAnsweredAndCountedAsAColdStartThenTheServiceGoesBackToZero() throws Exception {
        SeedOptions options = SeedOptions.parse("--runtime", "process", "--base-port", String.valueOf(BASE),
                "--port", String.valueOf(PORT), "--admin-port", String.valueOf(ADMIN), "--max", "2",
                "--autoscaler", "target", "--min", "0", "--idle", "5s", "--scale-tick", "500ms",
                "--stable-window", "5s", "--burst-window", "1s", "--data-dir", dataDir.toString());
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

        try (SeedApp app = SeedApp.start(options)) {
            Orchestrator orchestrator = app.orchestrator().orElseThrow();
            assertThat(app.awaitServing(Duration.ZERO)).as("from zero, requests wait in the gateway's line").isTrue();
            await("at zero after the idle time").atMost(Duration.ofSeconds(90))
                    .until(() -> orchestrator.status().desired() == 0 && orchestrator.replicas().isEmpty());

            HttpResponse<String> held = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + PORT + "/api/v1/categories"))
                    .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(held.statusCode()).isEqualTo(200);
            String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ADMIN + "/metrics"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(sample(metrics, "longshore_cold_start_seconds_count")).isEqualTo(1.0);
            assertThat(sample(metrics, "longshore_cold_start_seconds_sum")).isPositive();
            await("back at zero after the idle time").atMost(Duration.ofSeconds(90))
                    .until(() -> orchestrator.status().desired() == 0 && orchestrator.replicas().isEmpty());
        }
    }

    /** The value of the first sample of {@code name} in Prometheus text; NaN when absent. */
    private static double sample(String metrics, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*\\})? ([^ \\n]+)").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(2)) : Double.NaN;
    }
}
