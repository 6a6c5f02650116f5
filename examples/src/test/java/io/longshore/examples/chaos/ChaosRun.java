package io.longshore.examples.chaos;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Drives one chaos scenario: starts the load through the cluster's gateway, injects {@code faults}
 * faults {@code every} apart on a scheduled executor (each fault returns the container it broke,
 * and the run waits until the replica count is restored without it before the next one), then
 * lets the load run a little longer and stops it. Not thread-safe; one run per instance.
 */
final class ChaosRun {
    static final int CLIENTS = 16;
    /** Load after the last restore, so requests to the restored set are counted too. */
    private static final Duration SETTLE = Duration.ofSeconds(1);
    /** Access-log lines printed when requests were lost. */
    private static final int TROUBLED_LINES = 40;

    /** Breaks the replica on a port; returns the container it broke. */
    interface Fault {
        String inject(int port) throws Exception;
    }

    private final ChaosCluster cluster;
    private final int replicas;
    private final List<Duration> restores = new CopyOnWriteArrayList<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final AtomicInteger injected = new AtomicInteger();

    ChaosRun(ChaosCluster cluster, int replicas) {
        this.cluster = cluster;
        this.replicas = replicas;
    }

    /** Runs the load with {@code faults} faults, the k-th on port base + k mod replicas. */
    Result run(String scenario, String pathAndQuery, int faults, Duration every, Fault fault) throws Exception {
        ScheduledExecutorService chaos = Executors.newSingleThreadScheduledExecutor();
        LoadGenerator load = new LoadGenerator(cluster.uri(pathAndQuery), CLIENTS, cluster.clock).start();
        Instant began = cluster.clock.instant();
        try {
            chaos.scheduleAtFixedRate(() -> injectAndAwaitRestore(faults, fault), every.toMillis(), every.toMillis(),
                    TimeUnit.MILLISECONDS);
            await().atMost(every.multipliedBy(faults).plus(ChaosCluster.AWAIT)).pollInterval(Duration.ofMillis(50))
                    .until(() -> restores.size() + errors.size() >= faults);
            await().pollDelay(SETTLE).atMost(SETTLE.multipliedBy(5)).until(() -> true);
        } finally {
            chaos.shutdownNow();
            load.close();
        }
        Duration elapsed = Duration.between(began, cluster.clock.instant());
        ChaosReport report = new ChaosReport(scenario, CLIENTS, elapsed, load.sent(), load.failed(), cluster.retries(),
                cluster.proxyErrors(), List.copyOf(restores), load.failureSamples());
        System.out.println(report.line());
        if (load.failed() > 0) { // the gateway's side of the lost requests: their attempts and timings
            cluster.troubledRequests(TROUBLED_LINES).forEach(line -> System.out.println("CHAOS access " + line));
        }
        return new Result(report, List.copyOf(errors), load.completions());
    }

    private void injectAndAwaitRestore(int faults, Fault fault) {
        int k = injected.getAndIncrement();
        if (k >= faults) {
            return;
        }
        try {
            int port = cluster.basePort() + k % replicas;
            long before = cluster.clock.nanoTime();
            String broken = fault.inject(port);
            cluster.awaitReady(replicas, Optional.of(broken));
            restores.add(Duration.ofNanos(cluster.clock.nanoTime() - before));
        } catch (Exception | AssertionError e) {
            errors.add("fault " + (k + 1) + ": " + e);
        }
    }

    /** The report, the faults whose replica count was not restored, and every request. */
    record Result(ChaosReport report, List<String> unrestored, List<LoadGenerator.Completion> completions) {
    }
}
