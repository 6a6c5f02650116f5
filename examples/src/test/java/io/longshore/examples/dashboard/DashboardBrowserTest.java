package io.longshore.examples.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.longshore.api.ReplicaState;
import io.longshore.examples.config.ConfigApp;
import io.longshore.examples.config.ConfigReader;
import io.longshore.examples.config.LongshoreConfig;
import java.io.DataInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in a real browser: runs the seed scenario from the example config file (ports
 * and data directory moved, a bearer token added, the autoscaler slowed so that it leaves the
 * manual scale alone) on local processes sharing the embedded database, then {@code browser/dashboard-e2e.mjs} drives Debian's headless Chromium
 * through playwright-core: it signs in, kills a replica and sees it turn unhealthy and come
 * back, presses "Scale" with 3 and sees three replicas, drains one, replaces another (each from
 * its row's button, each followed by a new replica on that port), and saves a screenshot to
 * {@code target/browser/dashboard.png}. Skipped without node, Chromium or playwright-core
 * unless {@code -Dlongshore.requireBrowser=true}.
 */
class DashboardBrowserTest {
    private static final int GATEWAY_PORT = 24780;
    private static final int ADMIN_PORT = 24781;
    private static final int BASE_PORT = 24700;
    private static final String TOKEN = "e2e-dashboard-token";
    private static final Path OUTPUT = Path.of("target", "browser").toAbsolutePath();
    private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(5);

    @TempDir
    Path dir;

    @Test
    void anOperatorSignsInWatchesAKilledReplicaComeBackScalesToThreeDrainsOneAndReplacesAnother() throws Exception {
        BrowserTools tools = BrowserTools.assumeAvailable();
        Files.createDirectories(OUTPUT);
        Path screenshot = OUTPUT.resolve("dashboard.png");
        Files.deleteIfExists(screenshot);
        LongshoreConfig config = ConfigReader.withBuiltIns().read(exampleConfig());
        List<ProcessHandle> replicas;

        try (ConfigApp app = ConfigApp.start(config)) {
            Path log = OUTPUT.resolve("dashboard-e2e.log");
            int status = runScript(tools, screenshot, log);
            String output = Files.readString(log);
            System.out.println("--- dashboard-e2e.mjs ---\n" + output);

            assertThat(status).as("the browser script's exit status; its output:\n" + output).isZero();
            assertThat(output).contains("signed in with the bearer token", "its row turned unhealthy",
                    "came back ready", "three ready replicas", "from its button: a new replica took port",
                    "from its button: a new container took port", "PASSED");
            assertThat(app.orchestrators().get(0).status().desired()).isEqualTo(3);
            assertThat(app.orchestrators().get(0).replicas()).hasSize(3)
                    .allSatisfy(r -> assertThat(r.state()).isEqualTo(ReplicaState.READY));
            replicas = ProcessHandle.current().descendants().filter(p -> p.info().commandLine()
                    .map(c -> c.contains("ActsMain")).orElse(false)).toList();
        }

        assertThat(screenshot).isRegularFile();
        assertThat(pngSize(screenshot)).satisfies(size -> {
            assertThat(size[0]).isGreaterThanOrEqualTo(1200);
            assertThat(size[1]).isGreaterThanOrEqualTo(800);
        });
        await("no replica process left after close").atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(replicas).noneMatch(ProcessHandle::isAlive));
    }

    /** The repository's example file with the test's ports, a token and a slow autoscaler. */
    private Path exampleConfig() throws Exception {
        String text = Files.readString(Path.of("longshore.yaml"));
        text = replaceOnce(text, "port: 8080", "port: " + GATEWAY_PORT);
        text = replaceOnce(text, "port: 8081", "port: " + ADMIN_PORT);
        text = replaceOnce(text, "basePort: 8000", "basePort: " + BASE_PORT);
        text = replaceOnce(text, "# token: ${env:LONGSHORE_ADMIN_TOKEN}", "token: " + TOKEN);
        text = replaceOnce(text, "interval: 2m", "interval: 15m"); // the longest load window there is
        text = replaceOnce(text, "dataDir: longshore-data", "dataDir: " + dir.resolve("data"));
        Path file = dir.resolve("longshore-e2e.yaml");
        Files.writeString(file, text);
        return file;
    }

    private static String replaceOnce(String text, String from, String to) {
        assertThat(text.split(java.util.regex.Pattern.quote(from), -1)).as("'" + from + "' in longshore.yaml").hasSize(2);
        return text.replace(from, to);
    }

    private static int runScript(BrowserTools tools, Path screenshot, Path log) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(tools.node(), "dashboard-e2e.mjs")
                .directory(tools.project().toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(Map.of(
                "ADMIN_URL", "http://127.0.0.1:" + ADMIN_PORT,
                "GATEWAY_URL", "http://127.0.0.1:" + GATEWAY_PORT,
                "ADMIN_TOKEN", TOKEN,
                "SCREENSHOT", screenshot.toString(),
                "CHROMIUM", tools.chromium().toString()));
        Process script = builder.start();
        if (!script.waitFor(SCRIPT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            script.descendants().forEach(ProcessHandle::destroyForcibly);
            script.destroyForcibly();
            throw new AssertionError("the browser script did not finish within " + SCRIPT_TIMEOUT
                    + "; its output:\n" + Files.readString(log));
        }
        return script.exitValue();
    }

    /** Width and height from a PNG's header. */
    private static int[] pngSize(Path png) throws Exception {
        try (InputStream in = Files.newInputStream(png); DataInputStream data = new DataInputStream(in)) {
            byte[] signature = data.readNBytes(8);
            assertThat(new String(signature, 1, 3, StandardCharsets.US_ASCII)).as("a PNG signature").isEqualTo("PNG");
            data.readInt(); // IHDR length
            data.readInt(); // "IHDR"
            return new int[] {data.readInt(), data.readInt()};
        }
    }
}
