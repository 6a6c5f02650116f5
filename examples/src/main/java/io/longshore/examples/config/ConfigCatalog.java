package io.longshore.examples.config;

import io.longshore.api.LoadBalancingStrategy;
import io.longshore.api.LoadMetrics;
import io.longshore.api.Metric;
import io.longshore.api.ScalingPolicy;
import io.longshore.api.ScalingRule;
import io.longshore.examples.seed.BalancingOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.random.RandomGenerator;

/**
 * The strategy and autoscaler names a config file may use, each with the reader that turns its
 * settings into the library's object. A new strategy or policy is one more {@link #strategy} or
 * {@link #autoscaler} call; the reader asks its own keys of the node it is given (an unknown
 * key is then reported for it). Built-ins: strategies {@code round-robin}, {@code random},
 * {@code least-request}, {@code p2c}, {@code peak-ewma}, {@code hash:header:NAME},
 * {@code hash:cookie:NAME}, {@code hash:ip}, {@code hash:path} (the seed main's {@code --strategy}
 * names, parsed by {@link BalancingOptions}), and the older {@code least-in-flight} and
 * {@code power-of-two-choices}; a name registered ending in {@code :} takes every name it
 * begins (the {@code hash:} family). Autoscalers {@code none},
 * {@code fixed}, {@code requests-per-replica}, {@code rules}. Not thread-safe while being filled.
 */
public final class ConfigCatalog {
    /** The seed's scaling window, used by {@code requests-per-replica} when neither window nor interval is set. */
    static final Duration SEED_WINDOW = Duration.ofMinutes(2);
    /** The consistent-hash family's prefix: {@code hash:header:NAME}, {@code hash:cookie:NAME}, {@code hash:ip}, {@code hash:path}. */
    static final String HASH = "hash:";
    private static final String HASH_NAMES = "hash:header:NAME, hash:cookie:NAME, hash:ip, hash:path";

    /** Reads a strategy's settings (the mapping under {@code strategy:}, or its bare name). */
    @FunctionalInterface
    public interface StrategyReader {
        LoadBalancingStrategy read(ConfigNode settings);
    }

    /**
     * Reads an autoscaler's settings (the mapping under {@code autoscaler:}); {@code interval} is
     * the scaling interval the file sets, if any. Empty means the orchestrator builder's default
     * policy.
     */
    @FunctionalInterface
    public interface AutoscalerReader {
        Optional<ScalingPolicy> read(ConfigNode settings, Optional<Duration> interval);
    }

    private final Map<String, StrategyReader> strategies = new LinkedHashMap<>();
    private final Map<String, AutoscalerReader> autoscalers = new LinkedHashMap<>();

    /** The library's built-ins; {@code random} draws from {@code random}, which must be thread-safe. */
    public static ConfigCatalog builtIns(RandomGenerator random) {
        Objects.requireNonNull(random, "random");
        return new ConfigCatalog()
                .strategy("round-robin", settings -> LoadBalancingStrategy.roundRobin())
                .strategy("random", settings -> LoadBalancingStrategy.random(random))
                .strategy("least-in-flight", settings -> LoadBalancingStrategy.leastInFlight())
                .strategy("power-of-two-choices", settings -> LoadBalancingStrategy.powerOfTwoChoices(random))
                .strategy("least-request", settings -> seedStrategy(settings, random))
                .strategy("p2c", settings -> seedStrategy(settings, random))
                .strategy("peak-ewma", settings -> seedStrategy(settings, random))
                .strategy(HASH, settings -> seedStrategy(settings, random))
                .autoscaler("none", (settings, interval) -> Optional.of(new HoldPolicy()))
                .autoscaler("fixed", ConfigCatalog::fixed)
                .autoscaler("requests-per-replica", ConfigCatalog::requestsPerReplica)
                .autoscaler("rules", ConfigCatalog::rules);
    }

    public ConfigCatalog strategy(String name, StrategyReader reader) {
        strategies.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(reader, "reader"));
        return this;
    }

    public ConfigCatalog autoscaler(String type, AutoscalerReader reader) {
        autoscalers.put(Objects.requireNonNull(type, "type"), Objects.requireNonNull(reader, "reader"));
        return this;
    }

    /** The reader of {@code name}: registered under it, or under a prefix of it that ends in {@code :}. */
    Optional<StrategyReader> strategy(String name) {
        StrategyReader exact = strategies.get(name);
        if (exact != null) {
            return Optional.of(exact);
        }
        return strategies.entrySet().stream().filter(e -> e.getKey().endsWith(":") && name.startsWith(e.getKey()))
                .map(Map.Entry::getValue).findFirst();
    }

    Optional<AutoscalerReader> autoscaler(String type) {
        return Optional.ofNullable(autoscalers.get(type));
    }

    List<String> strategyNames() {
        return strategies.keySet().stream().map(name -> name.equals(HASH) ? HASH_NAMES : name).toList();
    }

    /**
     * A strategy named as the seed main's {@code --strategy} takes it; a misspelt hash key is a
     * problem at the name.
     */
    private static LoadBalancingStrategy seedStrategy(ConfigNode settings, RandomGenerator random) {
        String name = (settings.isMapping() ? settings.string("type", "") : settings.text()).trim();
        try {
            return new BalancingOptions(name, Duration.ZERO).newStrategy(random);
        } catch (IllegalArgumentException e) {
            settings.child("type").orElse(settings).problem(e.getMessage().replaceFirst("^--strategy ", "strategy "));
            return LoadBalancingStrategy.roundRobin();
        }
    }

    List<String> autoscalerTypes() {
        return List.copyOf(autoscalers.keySet());
    }

    private static Optional<ScalingPolicy> fixed(ConfigNode settings, Optional<Duration> interval) {
        if (!settings.has("replicas")) {
            settings.problem("the fixed autoscaler needs 'replicas'");
        }
        OptionalInt replicas = settings.integer("replicas", 0, 10_000);
        return replicas.isPresent() ? Optional.of(ScalingPolicy.fixed(replicas.getAsInt())) : Optional.empty();
    }

    /** The seed's policy: {@code replicas = requests in the window / requestsPerReplica + 1}. */
    private static Optional<ScalingPolicy> requestsPerReplica(ConfigNode settings, Optional<Duration> interval) {
        int perReplica = settings.integer("requestsPerReplica", 20, 1, Integer.MAX_VALUE);
        Duration window = settings.duration("window", interval.orElse(SEED_WINDOW), false);
        if (!measurable(window, settings.child("window").or(() -> settings.child("interval")).orElse(settings),
                settings.has("window") ? "" : " (the window is the interval unless 'window' is set)")) {
            return Optional.empty();
        }
        return Optional.of(ScalingPolicy.requestsPerReplica(perReplica, window));
    }

    /**
     * Whether {@code window} is one the router measures ({@link LoadMetrics#MAX_WINDOW} at most);
     * a longer one is a problem at {@code where}: it would be read as that long, silently.
     */
    static boolean measurable(Duration window, ConfigNode where, String note) {
        if (window.compareTo(LoadMetrics.MAX_WINDOW) <= 0) {
            return true;
        }
        where.problem("a window of " + ValueFormats.format(window) + " is longer than the "
                + ValueFormats.format(LoadMetrics.MAX_WINDOW) + " the gateway measures load over" + note);
        return false;
    }

    private static Optional<ScalingPolicy> rules(ConfigNode settings, Optional<Duration> interval) {
        if (!settings.has("rules")) {
            settings.problem("the rules autoscaler needs 'rules',"
                    + " a list of {metric, window, threshold, action, factor, cooldown}");
            return Optional.empty();
        }
        List<ScalingRule> rules = new ArrayList<>();
        settings.child("rules").ifPresent(list -> list.items().forEach(item -> rule(item).ifPresent(rules::add)));
        return rules.isEmpty() ? Optional.empty() : Optional.of(ScalingPolicy.rules(rules));
    }

    private static Optional<ScalingRule> rule(ConfigNode item) {
        if (!item.requireMapping()) {
            return Optional.empty();
        }
        List<String> metrics = new ArrayList<>();
        for (Metric metric : Metric.values()) {
            metrics.add(kebab(metric.name()));
        }
        String metric = item.choice("metric", null, metrics);
        Duration window = item.duration("window", null, false);
        if (window != null && !measurable(window, item.child("window").orElse(item), "")) {
            window = null;
        }
        double threshold = item.number("threshold", Double.NaN, -Double.MAX_VALUE, Double.MAX_VALUE);
        String action = item.choice("action", null, List.of("scale-out", "scale-in"));
        double factor = item.number("factor", 2.0, Math.nextUp(1.0), 1_000);
        Duration cooldown = item.duration("cooldown", Duration.ZERO, true);
        for (String required : List.of("metric", "window", "threshold", "action")) {
            if (!item.has(required)) {
                item.problem("a rule needs '" + required + "'");
            }
        }
        item.rejectUnknown();
        if (metric == null || window == null || Double.isNaN(threshold) || action == null) {
            return Optional.empty();
        }
        return Optional.of(new ScalingRule(Metric.valueOf(metric.replace('-', '_').toUpperCase(Locale.ROOT)), window,
                threshold, action.equals("scale-out") ? ScalingRule.Action.SCALE_OUT : ScalingRule.Action.SCALE_IN,
                factor, cooldown));
    }

    private static String kebab(String constant) {
        return constant.toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
