package io.longshore.examples.chaos;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * What one chaos run measured. Immutable.
 *
 * @param scenario    e.g. {@code kill/process}
 * @param clients     concurrent clients
 * @param elapsed     how long the load ran
 * @param sent        requests sent through the gateway
 * @param failed      requests that got no 200
 * @param retried     requests the gateway sent again to another replica
 * @param proxyErrors the gateway's shaped answers and absorbed failures by kind
 * @param restores    for each fault, the time until the replica count was restored
 * @param failures    the first few failures
 */
record ChaosReport(String scenario, int clients, Duration elapsed, long sent, long failed, long retried,
                   String proxyErrors, List<Duration> restores, List<String> failures) {

    Duration longestRestore() {
        return restores.stream().max(Duration::compareTo).orElse(Duration.ZERO);
    }

    /** The one summary line a chaos test prints. */
    String line() {
        return String.format(Locale.ROOT,
                "CHAOS %s: clients=%d duration=%.1fs sent=%d failed=%d retried=%d faults=%d"
                        + " longestRestore=%.2fs restores=%s proxyErrors=%s",
                scenario, clients, seconds(elapsed), sent, failed, retried, restores.size(),
                seconds(longestRestore()), restores.stream().map(d -> String.format(Locale.ROOT, "%.2f", seconds(d))).toList(),
                proxyErrors);
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }
}
