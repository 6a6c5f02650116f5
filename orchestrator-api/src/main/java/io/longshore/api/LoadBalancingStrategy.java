package io.longshore.api;

import io.longshore.api.internal.Checks;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Picks the backend for one request from the candidates the router allows (healthy, not
 * ejected, not draining): the answer is the chosen candidate's position in the list, or
 * {@link #NONE} to route the request nowhere (the gateway then answers 503). The candidate
 * list is an immutable snapshot and never empty when the router calls; a router hands the same
 * list instance until its candidates or their weights change, so a strategy may keep what it
 * derives from a list (a schedule, a hash ring) for as long as it is handed that instance.
 *
 * <pre>{@code
 * LoadBalancingStrategy first = (candidates, request) -> 0;
 * LoadBalancingStrategy canaryOnly = (candidates, request) -> {
 *     for (int i = 0; i < candidates.size(); i++) {
 *         if (candidates.get(i).id().startsWith("canary")) {
 *             return i;
 *         }
 *     }
 *     return LoadBalancingStrategy.NONE;
 * };
 * }</pre>
 *
 * <p>Called on request threads concurrently: implementations must be thread-safe and should
 * not block or allocate. A strategy that throws or answers a position outside the list is
 * replaced by round robin for that request, and the failure is reported. The built-ins allocate
 * nothing per pick; those that keep state per candidate list (round robin's schedule, least
 * request's, the hash ring, sticky sessions' index) rebuild it when a router hands them another
 * list, so give each router an instance of its own.
 */
@FunctionalInterface
public interface LoadBalancingStrategy {

    /** The answer "no candidate": the request is not routed. */
    int NONE = -1;
    /** How fast the latency the router keeps per backend forgets, unless a strategy says otherwise. */
    Duration DEFAULT_LATENCY_DECAY = Duration.ofSeconds(10);
    /** Least request's exponent of {@code (inFlight + 1)} for unequal weights (Envoy's active request bias). */
    double DEFAULT_ACTIVE_REQUEST_BIAS = 1.0;
    /** Consistent hashing's bound: no backend above {@code (1 + ε)} times the mean load. */
    double DEFAULT_BALANCE_FACTOR = 0.25;

    /**
     * The position in {@code candidates} of the backend to route {@code request} to, or
     * {@link #NONE}.
     */
    int choose(List<Backend> candidates, RouteRequest request);

    /**
     * The same for a request that must not go to the candidate at position {@code excluded}
     * (a retry after that backend failed): a position other than {@code excluded}, or
     * {@link #NONE}. The default hands {@link #choose} the list without it (a list made for the
     * call); the built-ins pick from the whole list without allocating.
     */
    default int chooseExcept(List<Backend> candidates, RouteRequest request, int excluded) {
        int size = candidates.size();
        if (excluded < 0 || excluded >= size) {
            return choose(candidates, request);
        }
        if (size == 1) {
            return NONE;
        }
        Backend[] others = new Backend[size - 1];
        for (int i = 0, j = 0; i < size; i++) {
            if (i != excluded) {
                others[j++] = candidates.get(i);
            }
        }
        int picked = choose(List.of(others), request);
        return picked < excluded ? picked : picked + 1;
    }

    /**
     * The time constant of the peak-EWMA latency the router keeps for each backend
     * ({@link Backend#peakEwmaNanos()}): how long it takes to forget a slow response.
     * {@link #DEFAULT_LATENCY_DECAY} (10 s) unless the strategy says otherwise; read once, when
     * the router is made.
     */
    default Duration latencyDecay() {
        return DEFAULT_LATENCY_DECAY;
    }

    /**
     * The cookie a gateway sets on responses so that a client's next requests come back to the
     * backend that answered, when the strategy routes by one ({@link #stickySessions}); empty
     * for every other strategy.
     */
    default Optional<String> stickyCookie() {
        return Optional.empty();
    }

    /**
     * Each candidate in turn, in proportion to its {@link Backend#effectiveWeight() weight}: with
     * equal weights plain rotation in candidate order (the seed's algorithm), with unequal ones a
     * smooth earliest-deadline-first schedule (Envoy's weighted round robin) computed once per
     * candidate list, so that slow start and per-replica weights are honoured. One atomic
     * counter per pick.
     */
    static LoadBalancingStrategy roundRobin() {
        return new RoundRobinStrategy();
    }

    /** A uniformly random candidate. */
    static LoadBalancingStrategy random(RandomGenerator random) {
        return new RandomStrategy(random);
    }

    /** The candidate with the fewest requests in flight; ties go round robin. Scans every candidate. */
    static LoadBalancingStrategy leastInFlight() {
        return new LeastInFlightStrategy();
    }

    /** Power of two random choices: the less loaded of two random candidates. */
    static LoadBalancingStrategy powerOfTwoChoices(RandomGenerator random) {
        return new PowerOfTwoChoicesStrategy(random);
    }

    /**
     * Envoy's least request with the {@link #DEFAULT_ACTIVE_REQUEST_BIAS}.
     *
     * @see #leastRequest(RandomGenerator, double)
     */
    static LoadBalancingStrategy leastRequest(RandomGenerator random) {
        return leastRequest(random, DEFAULT_ACTIVE_REQUEST_BIAS);
    }

    /**
     * Envoy's least request: with equal {@link Backend#effectiveWeight() weights} the less loaded
     * of two random candidates; with unequal ones (set weights, slow start) an
     * earliest-deadline-first schedule whose weights are {@code weight / (inFlight + 1)^bias},
     * recomputed for a candidate each time it is picked. When another thread holds the schedule
     * the pick falls back to the better of two random candidates by that same measure, so no
     * request waits.
     *
     * @param bias how strongly requests in flight count against a candidate, &gt;= 0 (0: weights only)
     */
    static LoadBalancingStrategy leastRequest(RandomGenerator random, double bias) {
        if (!(bias >= 0) || Double.isInfinite(bias)) {
            throw new IllegalArgumentException("bias must be a finite number >= 0, was " + bias);
        }
        return new LeastRequestStrategy(random, bias);
    }

    /**
     * Finagle's and Linkerd's peak EWMA with the {@link #DEFAULT_LATENCY_DECAY} (10 s).
     *
     * @see #peakEwma(RandomGenerator, Duration)
     */
    static LoadBalancingStrategy peakEwma(RandomGenerator random) {
        return peakEwma(random, DEFAULT_LATENCY_DECAY);
    }

    /**
     * Peak EWMA with two random choices: of two random candidates, the one with the lower cost
     * {@code peakEwmaLatency × (inFlight + 1)}, where the latency is {@link Backend#peakEwmaNanos()}
     * decayed to now. A candidate without a response yet starts from a neutral prior, the
     * geometric mean of the estimates of the candidates that have one, not from zero (which would
     * flood a cold replica). Sends little to a slow replica; a replica that got nothing for a while
     * looks cheaper as its estimate decays, and is tried again.
     *
     * @param decay the latency's time constant, positive: the router forgets a slow response over it
     */
    static LoadBalancingStrategy peakEwma(RandomGenerator random, Duration decay) {
        return new PeakEwmaStrategy(random, Checks.requirePositive(decay, "decay"));
    }

    /**
     * Consistent hashing with bounded loads and the {@link #DEFAULT_BALANCE_FACTOR} (ε = 0.25).
     *
     * @see #consistentHash(HashKey, double)
     */
    static LoadBalancingStrategy consistentHash(HashKey key) {
        return consistentHash(key, DEFAULT_BALANCE_FACTOR);
    }

    /**
     * Consistent hashing on a request key (a header, a cookie, the client's address or the path):
     * a ring of 160 points per unit of {@link Backend#weight()} for each candidate, placed by its
     * endpoint (so a replacement on the same endpoint takes the same keys), built once per
     * candidate set. A key goes to the first point at or after its hash; adding or removing a
     * backend moves only the keys of its own points. With bounded loads (Mirrokni, Thorup and
     * Zadimoghaddam) a backend whose requests in flight would exceed {@code (1 + balanceFactor)}
     * times its weighted share of the mean is passed over for the next one on the ring, so one hot
     * key cannot overload a replica. Requests without the key are spread over the ring.
     *
     * @param balanceFactor ε &gt; 0; {@link Double#POSITIVE_INFINITY} turns bounded loads off
     */
    static LoadBalancingStrategy consistentHash(HashKey key, double balanceFactor) {
        Objects.requireNonNull(key, "key");
        if (!(balanceFactor > 0)) {
            throw new IllegalArgumentException("balanceFactor must be > 0, was " + balanceFactor);
        }
        return new ConsistentHashStrategy(key, balanceFactor);
    }

    /**
     * Sticky sessions: a request whose cookie {@code cookie} names a candidate (its
     * {@link Backend#id()}) goes to it; any other request is routed by {@code otherwise}. A
     * gateway in front of a router with this strategy sets the cookie on every response that does
     * not carry the backend's id yet ({@code Set-Cookie: <cookie>=<id>; Path=/; HttpOnly}), so a
     * client stays on one replica until that replica is no longer routable.
     *
     * @param cookie the cookie's name, an RFC 6265 token
     */
    static LoadBalancingStrategy stickySessions(String cookie, LoadBalancingStrategy otherwise) {
        return new StickySessionStrategy(HashKey.requireToken(cookie, "cookie"),
                Objects.requireNonNull(otherwise, "otherwise"));
    }
}
