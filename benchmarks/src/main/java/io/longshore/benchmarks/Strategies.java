package io.longshore.benchmarks;

import io.longshore.api.HashKey;
import io.longshore.api.LoadBalancingStrategy;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * The built-in strategies by the names the benchmarks take as a parameter. The random ones
 * get a thread-safe generator that reads the calling thread's {@link ThreadLocalRandom}, as a
 * gateway with many request threads would configure them. The hashing ones hash the keys of
 * {@link BenchRequest}. Immutable.
 */
enum Strategies {
    ROUND_ROBIN("round-robin"),
    RANDOM("random"),
    LEAST_IN_FLIGHT("least-in-flight"),
    POWER_OF_TWO_CHOICES("p2c"),
    LEAST_REQUEST("least-request"),
    PEAK_EWMA("peak-ewma"),
    HASH_HEADER("hash-header"),
    HASH_COOKIE("hash-cookie"),
    HASH_IP("hash-ip"),
    STICKY("sticky");

    /** Reads the calling thread's own generator; no shared state, so no contention. */
    static final RandomGenerator THREAD_LOCAL_RANDOM = () -> ThreadLocalRandom.current().nextLong();

    private final String paramName;

    Strategies(String paramName) {
        this.paramName = paramName;
    }

    /** The name the benchmarks' {@code strategy} parameter uses. */
    String paramName() {
        return paramName;
    }

    /** A fresh instance of the strategy (strategies such as round robin carry a counter). */
    LoadBalancingStrategy create() {
        return switch (this) {
            case ROUND_ROBIN -> LoadBalancingStrategy.roundRobin();
            case RANDOM -> LoadBalancingStrategy.random(THREAD_LOCAL_RANDOM);
            case LEAST_IN_FLIGHT -> LoadBalancingStrategy.leastInFlight();
            case POWER_OF_TWO_CHOICES -> LoadBalancingStrategy.powerOfTwoChoices(THREAD_LOCAL_RANDOM);
            case LEAST_REQUEST -> LoadBalancingStrategy.leastRequest(THREAD_LOCAL_RANDOM);
            case PEAK_EWMA -> LoadBalancingStrategy.peakEwma(THREAD_LOCAL_RANDOM);
            case HASH_HEADER -> LoadBalancingStrategy.consistentHash(HashKey.header(BenchRequest.USER_HEADER));
            case HASH_COOKIE -> LoadBalancingStrategy.consistentHash(HashKey.cookie(BenchRequest.SESSION_COOKIE));
            case HASH_IP -> LoadBalancingStrategy.consistentHash(HashKey.clientIp());
            case STICKY -> LoadBalancingStrategy.stickySessions(BenchRequest.STICKY_COOKIE,
                    LoadBalancingStrategy.roundRobin());
        };
    }

    /** The strategy whose parameter name is {@code name}, e.g. {@code p2c}. */
    static Strategies byParamName(String name) {
        return Arrays.stream(values())
                .filter(s -> s.paramName.equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown strategy '" + name + "', expected one of "
                        + Arrays.stream(values()).map(Strategies::paramName).toList()));
    }
}
