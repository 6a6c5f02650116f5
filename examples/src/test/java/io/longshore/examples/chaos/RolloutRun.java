package io.longshore.examples.chaos;

import static org.awaitility.Awaitility.await;

import io.longshore.api.ContainerSpec;
import io.longshore.core.Orchestrator;
import io.longshore.core.RolloutStatus;
import io.longshore.core.RolloutStatus.State;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Drives one rollout under load: starts the load through the cluster's gateway, lets it run a
 * second, asks the orchestrator to update to a spec, waits until the rollout is over (complete, or
 * rolled back and the replicas of the given-up spec gone), lets the load run a second more and
 * stops it. Prints one {@code CHAOS} summary line and one with the versions that answered. Not
 * thread-safe; one run per instance.
 */
final class RolloutRun {
    private static final Duration SETTLE = Duration.ofSeconds(1);
    /** Access-log lines printed when requests were lost. */
    private static final int TROUBLED_LINES = 40;

    private final ChaosCluster cluster;

    RolloutRun(ChaosCluster cluster) {
        this.cluster = cluster;
    }

    /** What the run measured: the report, the rollout's last status, when it ended, every request. */
    record Result(ChaosReport report, RolloutStatus status, Instant endedAt, List<LoadGenerator.Completion> completions) {

        /** How many answers each version gave, e.g. {@code {v1=812, v2=640}}. */
        Map<String, Long> versions() {
            Map<String, Long> counts = new TreeMap<>();
            completions.stream().filter(LoadGenerator.Completion::ok)
                    .forEach(c -> counts.merge(c.version(), 1L, Long::sum));
            return counts;
        }

        /** The requests sent after the rollout ended. */
        List<LoadGenerator.Completion> after() {
            return completions.stream().filter(c -> c.sentAt().isAfter(endedAt)).toList();
        }
    }

    Result run(String scenario, String pathAndQuery, ContainerSpec to) throws Exception {
        Orchestrator orchestrator = cluster.orchestrator();
        LoadGenerator load = new LoadGenerator(cluster.uri(pathAndQuery), ChaosRun.CLIENTS, cluster.clock).start();
        Instant began = cluster.clock.instant();
        Instant updated;
        Instant ended;
        try {
            await().pollDelay(SETTLE).atMost(SETTLE.multipliedBy(5)).until(() -> true);
            String toSpec = orchestrator.update(to).toCompletableFuture().join().toSpec();
            updated = cluster.clock.instant();
            await().atMost(ChaosCluster.AWAIT).pollInterval(Duration.ofMillis(20)).until(() -> isOver(orchestrator, toSpec));
            ended = cluster.clock.instant();
            await().pollDelay(SETTLE).atMost(SETTLE.multipliedBy(5)).until(() -> true);
        } finally {
            load.close();
        }
        Duration rollout = Duration.between(updated, ended);
        RolloutStatus status = orchestrator.rollout().orElseThrow();
        ChaosReport report = new ChaosReport(scenario, ChaosRun.CLIENTS, Duration.between(began, cluster.clock.instant()),
                load.sent(), load.failed(), cluster.retries(), cluster.proxyErrors(), List.of(rollout),
                load.failureSamples());
        Result result = new Result(report, status, ended, load.completions());
        System.out.println(report.line());
        if (load.failed() > 0) { // the gateway's side of the lost requests: their attempts and timings
            cluster.troubledRequests(TROUBLED_LINES).forEach(line -> System.out.println("CHAOS access " + line));
        }
        System.out.printf(Locale.ROOT, "CHAOS %s: %s in %.2fs (%s); answers by version %s, after it %s%n", scenario,
                status.state(), rollout.toNanos() / 1e9, status.reason(), result.versions(),
                new Result(report, status, ended, result.after()).versions());
        return result;
    }

    /** Complete, or rolled back with no replica of the given-up spec left. */
    private static boolean isOver(Orchestrator orchestrator, String toSpec) {
        RolloutStatus status = orchestrator.rollout().orElseThrow();
        return status.state() == State.COMPLETE || (status.state() == State.ROLLED_BACK
                && orchestrator.replicas().stream().noneMatch(r -> r.specHash().equals(toSpec)));
    }
}
