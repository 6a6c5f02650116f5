package io.longshore.examples.seed;

import io.longshore.api.HashKey;
import io.longshore.api.LoadBalancingStrategy;
import io.longshore.core.SlowStart;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * How the seed main balances: {@code --strategy} and {@code --slow-start}. Immutable; the
 * constructor checks the strategy's spelling and says what it may be.
 *
 * @param strategy        {@code round-robin}, {@code random}, {@code least-request}, {@code p2c},
 *                        {@code peak-ewma}, {@code hash:header:NAME}, {@code hash:cookie:NAME},
 *                        {@code hash:ip} or {@code hash:path}
 * @param slowStartWindow how long a replica that just became ready ramps up; {@link Duration#ZERO} for none
 */
public record BalancingOptions(String strategy, Duration slowStartWindow) {
    /** Each request thread's own generator: the random strategies are called on every event loop at once. */
    private static final RandomGenerator THREAD_LOCAL_RANDOM = () -> ThreadLocalRandom.current().nextLong();
    /** The seed's algorithm. */
    public static final String DEFAULT_STRATEGY = "round-robin";
    /** The strategies that honour slow start: they balance by each replica's effective weight. */
    private static final Set<String> SLOW_STARTING = Set.of("round-robin", "least-request");
    /** Round robin, no slow start: as the seed. */
    public static final BalancingOptions DEFAULTS = new BalancingOptions(DEFAULT_STRATEGY, Duration.ZERO);
    /** What {@code --strategy} takes, for messages and the usage. */
    static final String STRATEGIES = "round-robin|random|least-request|p2c|peak-ewma|hash:header:NAME|hash:cookie:NAME"
            + "|hash:ip|hash:path";

    public BalancingOptions {
        Objects.requireNonNull(strategy, "strategy");
        if (Objects.requireNonNull(slowStartWindow, "slowStartWindow").isNegative()) {
            throw new UsageException("--slow-start must not be negative, was " + slowStartWindow);
        }
        create(strategy, THREAD_LOCAL_RANDOM); // checks the spelling
        if (!slowStartWindow.isZero() && !SLOW_STARTING.contains(strategy)) {
            throw new UsageException("--slow-start needs --strategy round-robin or least-request, the strategies that"
                    + " balance by weight; --strategy " + strategy + " would ignore it");
        }
    }

    /** A new instance of the strategy (each router needs its own), drawing from {@code random}. */
    public LoadBalancingStrategy newStrategy(RandomGenerator random) {
        return create(strategy, random);
    }

    private static LoadBalancingStrategy create(String strategy, RandomGenerator random) {
        return switch (strategy) {
            case "round-robin" -> LoadBalancingStrategy.roundRobin();
            case "random" -> LoadBalancingStrategy.random(random);
            case "least-request" -> LoadBalancingStrategy.leastRequest(random);
            case "p2c" -> LoadBalancingStrategy.powerOfTwoChoices(random);
            case "peak-ewma" -> LoadBalancingStrategy.peakEwma(random);
            default -> consistentHash(strategy);
        };
    }

    /** A new instance of the strategy drawing from the calling thread's own generator. */
    public LoadBalancingStrategy newStrategy() {
        return newStrategy(THREAD_LOCAL_RANDOM);
    }

    private static LoadBalancingStrategy consistentHash(String strategy) {
        if (!strategy.startsWith("hash:")) {
            throw new UsageException("--strategy must be one of " + STRATEGIES + ", was '" + strategy + "'");
        }
        try {
            return LoadBalancingStrategy.consistentHash(HashKey.parse(strategy.substring("hash:".length())));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--strategy " + strategy + ": " + e.getMessage());
        }
    }

    /** The slow start of {@code --slow-start}: off, or Envoy's defaults over the window given. */
    public SlowStart slowStart() {
        return SlowStart.over(slowStartWindow);
    }
}
