package io.longshore.api;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Picks the backend for one request from the candidates the router allows (healthy, not
 * ejected, not draining): the answer is the chosen candidate's position in the list, or
 * {@link #NONE} to route the request nowhere (the gateway then answers 503). The candidate
 * list is an immutable snapshot and never empty when the router calls.
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
 * replaced by round robin for that request, and the failure is reported.
 */
@FunctionalInterface
public interface LoadBalancingStrategy {

    /** The answer "no candidate": the request is not routed. */
    int NONE = -1;

    /**
     * The position in {@code candidates} of the backend to route {@code request} to, or
     * {@link #NONE}.
     */
    int choose(List<Backend> candidates, RouteRequest request);

    /** Each candidate in turn (the seed's algorithm). */
    static LoadBalancingStrategy roundRobin() {
        return new RoundRobinStrategy();
    }

    /** A uniformly random candidate. */
    static LoadBalancingStrategy random(RandomGenerator random) {
        return new RandomStrategy(random);
    }

    /** The candidate with the fewest requests in flight; ties go round robin. */
    static LoadBalancingStrategy leastInFlight() {
        return new LeastInFlightStrategy();
    }

    /** Power of two random choices: the less loaded of two random candidates. */
    static LoadBalancingStrategy powerOfTwoChoices(RandomGenerator random) {
        return new PowerOfTwoChoicesStrategy(random);
    }
}
