package io.longshore.benchmarks.autoscaling;

import io.longshore.benchmarks.autoscaling.AutoscalingScenarios.Candidate;
import io.longshore.simulator.SimulationReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prints the autoscaling comparison: the seed policy, an HPA-like and a Knative-like policy and
 * Longshore's target tracking on the same simulated traffic and replicas (see
 * {@link AutoscalingScenarios}), one row each, then target tracking against the targets.
 * {@code java -cp benchmarks/target/benchmarks.jar io.longshore.benchmarks.autoscaling.AutoscalingBenchmarkMain [seed]}
 */
public final class AutoscalingBenchmarkMain {
    private AutoscalingBenchmarkMain() {
    }

    /** One policy's figures over the three scenarios. */
    record Row(String policy, SimulationReport step, SimulationReport burst, SimulationReport noisy) {
        Duration steadyP99() {
            return step.latency(0.99, Duration.ofSeconds(30), AutoscalingScenarios.STEP_AT);
        }

        Duration stepP99() {
            return step.latency(0.99, AutoscalingScenarios.STEP_AT, AutoscalingScenarios.STEP_AT.plusMinutes(1));
        }

        double replicaSecondsRatio() {
            return step.replicaSeconds() / step.oracleReplicaSeconds();
        }

        double changesPer10Minutes() {
            double minutes = AutoscalingScenarios.NOISY_LENGTH.minus(AutoscalingScenarios.NOISY_WARM_UP).toSeconds() / 60.0;
            return noisy.scalingChanges(AutoscalingScenarios.NOISY_WARM_UP, AutoscalingScenarios.NOISY_LENGTH) * 10 / minutes;
        }
    }

    public static void main(String[] args) {
        long seed = args.length > 0 ? Long.parseLong(args[0]) : 1;
        List<Row> rows = new ArrayList<>();
        for (Candidate candidate : AutoscalingScenarios.candidates()) {
            rows.add(new Row(candidate.name(), AutoscalingScenarios.step(candidate, seed),
                    AutoscalingScenarios.burstFromZero(candidate, seed), AutoscalingScenarios.noisy(candidate, seed)));
        }
        System.out.println(table(rows, seed));
        System.out.println(verdict(rows.get(rows.size() - 1)));
    }

    static String table(List<Row> rows, long seed) {
        StringBuilder out = new StringBuilder();
        out.append("seed ").append(seed).append(": 10x step ").append((int) AutoscalingScenarios.STEP_FROM).append(" -> ")
                .append((int) AutoscalingScenarios.STEP_TO).append(" req/s at 2 min (10 min); burst of ")
                .append(AutoscalingScenarios.BURST_CLIENTS).append(" clients from zero; noisy ")
                .append((int) AutoscalingScenarios.NOISY_RATE).append(" req/s ±")
                .append(Math.round(AutoscalingScenarios.NOISY_AMPLITUDE * 100)).append(" % (30 min after 5 min warm-up)\n\n");
        out.append("| policy | step: failed | time to capacity | p99 before / first minute of the step | replica-s vs oracle "
                + "| burst: failed | replicas started (need) | max wait | noisy: changes per 10 min |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            out.append(String.format(Locale.ROOT, "| %s | %d | %s | %s / %s | %.0f / %.0f = %.2f | %d | %d (%d) | %s | %.1f |%n",
                    r.policy(), r.step().failed(), r.step().timeToCapacity(AutoscalingScenarios.STEP_AT)
                            .map(d -> String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0)).orElse("never"),
                    SimulationReport.millis(r.steadyP99()), SimulationReport.millis(r.stepP99()),
                    r.step().replicaSeconds(), r.step().oracleReplicaSeconds(), r.replicaSecondsRatio(),
                    r.burst().failed(), r.burst().replicasStarted(), AutoscalingScenarios.burstNeed(),
                    SimulationReport.millis(r.burst().latency(1)), r.changesPer10Minutes()));
        }
        return out.toString();
    }

    /** Target tracking against the targets. */
    static String verdict(Row r) {
        Duration startUp = AutoscalingScenarios.MODEL.startup();
        Duration capacityBound = startUp.plus(Duration.ofSeconds(4));
        Duration p99Bound = r.steadyP99().multipliedBy(2).plus(startUp);
        Duration toCapacity = r.step().timeToCapacity(AutoscalingScenarios.STEP_AT).orElse(Duration.ofDays(1));
        return String.join("\n",
                check("step: 0 failed", r.step().failed() == 0, r.step().failed() + " failed"),
                check("step: capacity within start-up + 2 ticks (" + capacityBound.toSeconds() + " s)",
                        toCapacity.compareTo(capacityBound) <= 0, toCapacity.toMillis() + " ms"),
                check("step: p99 during the step <= 2 x steady p99 + start-up (" + SimulationReport.millis(p99Bound) + ")",
                        r.stepP99().compareTo(p99Bound) <= 0, SimulationReport.millis(r.stepP99())),
                check("step: replica-seconds <= 1.15 x oracle", r.replicaSecondsRatio() <= 1.15,
                        String.format(Locale.ROOT, "%.2f", r.replicaSecondsRatio())),
                check("burst from zero: 0 failed", r.burst().failed() == 0, r.burst().failed() + " failed"),
                check("burst from zero: replicas started <= need + 1 (" + (AutoscalingScenarios.burstNeed() + 1) + ")",
                        r.burst().replicasStarted() <= AutoscalingScenarios.burstNeed() + 1,
                        r.burst().replicasStarted() + " started"),
                check("noisy: <= 1 change per 10 min", r.changesPer10Minutes() <= 1,
                        String.format(Locale.ROOT, "%.1f", r.changesPer10Minutes())));
    }

    private static String check(String target, boolean met, String measured) {
        return (met ? "MET     " : "NOT MET ") + target + ": " + measured;
    }
}
