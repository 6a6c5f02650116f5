package io.longshore.examples.seed;

import static org.assertj.core.api.Assertions.assertThat;

import io.longshore.examples.acts.ActsServer;
import io.longshore.examples.acts.DatabaseSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import io.longshore.testkit.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With {@code --static-backends} the seed main is only a balancer over servers it did not start. */
class SeedAppStaticTest {
    /** Backends the seed main did not start; their data does not matter here. */
    private static final DatabaseSettings PRIVATE = new DatabaseSettings("jdbc:h2:mem:static-backends", "", "");
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theGatewayBalancesRoundRobinOverStaticBackendsAndServesTheAdminApi() throws Exception {
        try (ActsServer a = ActsServer.start("127.0.0.1", 0, "a", PRIVATE);
             ActsServer b = ActsServer.start("127.0.0.1", 0, "b", PRIVATE);
             SeedApp app = SeedApp.start(SeedOptions.parse("--port", "24380", "--admin-port", "24381",
                     "--static-backends", "127.0.0.1:" + a.port() + ",127.0.0.1:" + b.port()))) {
            List<String> replicas = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                HttpResponse<String> response = get(24380, "/api/v1/categories");
                assertThat(response.statusCode()).isEqualTo(200);
                replicas.add(response.headers().firstValue("X-Replica").orElse("?"));
            }

            assertThat(app.orchestrator()).isEmpty();
            assertThat(replicas).containsExactlyInAnyOrder("a", "a", "b", "b");
            assertThat(get(24381, "/healthz").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void closingTheStaticAppLeavesTheBackendsRunning() throws Exception {
        try (ActsServer a = ActsServer.start("127.0.0.1", 0, "a", PRIVATE)) {
            SeedApp app = SeedApp.start(SeedOptions.parse("--port", "24382", "--admin-port", "24383",
                    "--static-backends", "127.0.0.1:" + a.port()));
            app.close();
            app.close();

            assertThat(get(a.port(), "/api/v1/_health").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void theGatewayFlagsGiveHttpsAnAccessLogAndAHeadTimeout(@TempDir Path dir) throws Exception {
        TestCertificates.Certificate certificate = TestCertificates.make(dir, "seed.test", "seed.test");
        Path log = dir.resolve("access.log");
        try (ActsServer a = ActsServer.start("127.0.0.1", 0, "a", PRIVATE);
             SeedApp app = SeedApp.start(SeedOptions.parse("--port", "24384", "--admin-port", "24385",
                     "--tls-port", "24386", "--tls-cert", certificate.certificate().toString(),
                     "--tls-key", certificate.key().toString(), "--access-log", log.toString(),
                     "--request-head-timeout", "3s", "--static-backends", "127.0.0.1:" + a.port()))) {
            HttpClient https = HttpClient.newBuilder().sslContext(TestCertificates.trusting(certificate.x509())).build();
            HttpResponse<String> response = https.send(HttpRequest.newBuilder(
                    URI.create("https://127.0.0.1:24386/api/v1/categories")).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(get(24384, "/api/v1/categories").statusCode()).isEqualTo(200);
        }
        assertThat(Files.readAllLines(log)).hasSize(2)
                .allSatisfy(line -> assertThat(line).contains("\"GET /api/v1/categories HTTP/1.1\" 200"));
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
