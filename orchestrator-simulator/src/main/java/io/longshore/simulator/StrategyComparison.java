package io.longshore.simulator;

import io.longshore.api.LoadBalancingStrategy;
import io.longshore.api.internal.Checks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Load-balancing strategies side by side on the simulator: the same replicas, traffic and seed
 * for each, behind a fixed router (with passive outlier detection), reporting each strategy's
 * latency quantiles, errors and how much of the traffic each kind of replica took. The standard
 * cases ({@link #heterogeneous()}) are the issue's: ten replicas of 50 ms ± 20 %, all fast, or
 * with one ten times slower, one that stalls for 2 s every 30 s, one that fails fast with 503s,
 * or all three at once. Stateless.
 *
 * <pre>{@code
 * for (StrategyComparison.Case each : StrategyComparison.heterogeneous()) {
 *     StrategyComparison.Row row = StrategyComparison.run(each, "peak-ewma",
 *             () -> LoadBalancingStrategy.peakEwma(new SplittableRandom(7)));
 * }
 * }</pre>
 */
public final class StrategyComparison {
    /** The model of a healthy replica: 50 ms ± 20 %, eight requests at once. */
    public static final ReplicaModel FAST = ReplicaModel.builder().name("fast").concurrency(8).build();
    /** Ten times slower than {@link #FAST}. */
    public static final ReplicaModel SLOW = FAST.toBuilder().name("slow")
            .serviceTime(FAST.serviceTime().times(10)).build();
    /** As {@link #FAST}, but it stalls for 2 s every 30 s. */
    public static final ReplicaModel STALLING = FAST.toBuilder().name("stalling")
            .stalls(Duration.ofSeconds(30), Duration.ofSeconds(2)).build();
    /** Fails every request with a 503 in 1 ms. */
    public static final ReplicaModel FAILING = FAST.toBuilder().name("failing")
            .failures(1.0, 503, Duration.ofMillis(1)).build();
    /**
     * The standard cases' traffic: Poisson arrivals, 100 a second, half a request in flight per
     * fast replica; a slow one given a tenth of it needs five of its eight slots.
     */
    public static final double DEFAULT_RATE = 100;
    /** How long each standard case runs. */
    public static final Duration DEFAULT_LENGTH = Duration.ofMinutes(5);
    /** The replicas of each standard case. */
    public static final int REPLICAS = 10;
    /** The seed every run of a comparison shares. */
    public static final long DEFAULT_SEED = 42;

    private StrategyComparison() {
    }

    /**
     * One case: a fixed set of replicas and the traffic they get.
     *
     * @param name     shown in the table, e.g. {@code one 10x slower}
     * @param replicas the models, one per replica
     * @param rate     Poisson arrivals a second
     * @param length   how long the traffic runs
     */
    public record Case(String name, List<ReplicaModel> replicas, double rate, Duration length) {
        public Case {
            Checks.requireNonBlank(name, "name");
            replicas = List.copyOf(replicas);
            if (replicas.isEmpty()) {
                throw new IllegalArgumentException("replicas must not be empty");
            }
            if (!(rate > 0) || Double.isInfinite(rate)) {
                throw new IllegalArgumentException("rate must be > 0, was " + rate);
            }
            Checks.requirePositive(length, "length");
        }

        /** {@link #REPLICAS} replicas: {@code odd} ones first, then {@link #FAST} ones, at the standard rate and length. */
        public static Case of(String name, ReplicaModel... odd) {
            List<ReplicaModel> models = new ArrayList<>(List.of(odd));
            while (models.size() < REPLICAS) {
                models.add(FAST);
            }
            return new Case(name, models, DEFAULT_RATE, DEFAULT_LENGTH);
        }
    }

    /**
     * What one strategy did in one case. Immutable.
     *
     * @param caseName the case
     * @param strategy the strategy's name
     * @param requests requests sent
     * @param failed   requests whose client got an error
     * @param p50      median latency
     * @param p99      99th percentile
     * @param p999     99.9th percentile
     * @param shares   each model's share of the requests, by model name, in 0..1
     */
    public record Row(String caseName, String strategy, long requests, long failed, Duration p50, Duration p99,
                      Duration p999, Map<String, Double> shares) {
        public Row {
            shares = Map.copyOf(shares);
        }

        /** The share of the requests the replicas of {@code model} took; 0 when there are none. */
        public double share(String model) {
            return shares.getOrDefault(model, 0.0);
        }
    }

    /** The cases: all fast, one 10× slower, one stalling, one failing fast, and all three. */
    public static List<Case> heterogeneous() {
        return List.of(Case.of("all fast"), Case.of("one 10x slower", SLOW),
                Case.of("one stalls 2s every 30s", STALLING), Case.of("one fails fast (503)", FAILING),
                Case.of("slow + stalling + failing", SLOW, STALLING, FAILING));
    }

    /** Runs {@code each} with a fresh strategy from {@code strategy} and the {@link #DEFAULT_SEED}. */
    public static Row run(Case each, String name, Supplier<LoadBalancingStrategy> strategy) {
        return run(each, name, strategy, DEFAULT_SEED);
    }

    /** Runs {@code each} with a fresh strategy from {@code strategy} and the simulation seed {@code seed}. */
    public static Row run(Case each, String name, Supplier<LoadBalancingStrategy> strategy, long seed) {
        Objects.requireNonNull(each, "each");
        SimulationReport report = Simulation.builder().seed(seed)
                .fixedReplicas(each.replicas())
                .strategy(Objects.requireNonNull(strategy.get(), "strategy"))
                .traffic(Traffic.constant(each.rate()))
                .length(each.length())
                .build().run();
        Map<String, Double> shares = new LinkedHashMap<>();
        for (ReplicaStats replica : report.replicas()) {
            shares.merge(replica.model(), replica.requests() / (double) Math.max(1, report.requests()), Double::sum);
        }
        return new Row(each.name(), name, report.requests(), report.failed(), report.p50(), report.p99(),
                report.p999(), shares);
    }

    /** The rows as a Markdown table: case, strategy, p50, p99, p99.9, errors, and the odd replicas' shares. */
    public static String table(List<Row> rows) {
        StringBuilder out = new StringBuilder(
                "| case | strategy | p50 | p99 | p99.9 | errors | to slow | to stalling | to failing |\n"
                        + "|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row row : rows) {
            out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %d (%.2f %%) | %s | %s | %s |%n",
                    row.caseName(), row.strategy(), SimulationReport.millis(row.p50()),
                    SimulationReport.millis(row.p99()), SimulationReport.millis(row.p999()), row.failed(),
                    100.0 * row.failed() / Math.max(1, row.requests()), percent(row, SLOW), percent(row, STALLING),
                    percent(row, FAILING)));
        }
        return out.toString();
    }

    private static String percent(Row row, ReplicaModel model) {
        return row.shares().containsKey(model.name())
                ? String.format(Locale.ROOT, "%.2f %%", 100 * row.share(model.name())) : "–";
    }
}
