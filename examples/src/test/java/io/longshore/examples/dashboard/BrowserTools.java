package io.longshore.examples.dashboard;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Gate of the browser test: node (18 or later), Debian's Chromium and the browser project's
 * {@code playwright-core} ({@code npm ci --prefix examples/browser}). Skipped with a message when
 * one is missing, failed instead when the system property {@code longshore.requireBrowser} is
 * true (as {@code .ci/run} sets it) or the environment variable {@code CI} is {@code true} (as CI
 * services set it), so that a CI machine without the browser never passes by skipping it.
 *
 * @param node     the node binary
 * @param chromium the browser
 * @param project  the folder holding the script and its node_modules
 */
record BrowserTools(String node, Path chromium, Path project) {
    static final Path CHROMIUM = Path.of(System.getProperty("longshore.chromium", "/usr/bin/chromium"));
    static final Path PROJECT = Path.of("browser").toAbsolutePath();

    static BrowserTools assumeAvailable() {
        List<String> missing = new ArrayList<>();
        String node = nodeVersion().filter(v -> v >= 18).isPresent() ? "node" : null;
        if (node == null) {
            missing.add("node 18 or later on the PATH");
        }
        if (!Files.isExecutable(CHROMIUM)) {
            missing.add("Chromium at " + CHROMIUM + " (apt-get install chromium)");
        }
        if (!Files.isRegularFile(PROJECT.resolve("node_modules/playwright-core/package.json"))) {
            missing.add("playwright-core in " + PROJECT + " (npm ci --prefix examples/browser)");
        }
        String message = "browser test needs " + String.join(", ", missing);
        if (!missing.isEmpty() && Boolean.getBoolean("longshore.requireBrowser")) {
            fail(message + ", and longshore.requireBrowser=true requires it (bash scripts/ensure-browser.sh installs it)");
        }
        if (!missing.isEmpty() && "true".equals(System.getenv("CI"))) {
            fail(message + ", and CI=true requires it (bash scripts/ensure-browser.sh installs it)");
        }
        assumeTrue(missing.isEmpty(), message + ": skipped (-Dlongshore.requireBrowser=true or CI=true makes this"
                + " a failure; bash scripts/ensure-browser.sh installs them)");
        return new BrowserTools(node, CHROMIUM, PROJECT);
    }

    private static java.util.Optional<Integer> nodeVersion() {
        try {
            Process process = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            String version = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0 || !version.startsWith("v")) {
                return java.util.Optional.empty();
            }
            return java.util.Optional.of(Integer.parseInt(version.substring(1, version.indexOf('.'))));
        } catch (IOException | NumberFormatException | StringIndexOutOfBoundsException e) {
            return java.util.Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.Optional.empty();
        }
    }
}
