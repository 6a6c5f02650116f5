package io.longshore.api;

import io.longshore.api.internal.LeastInFlightStrategy;
import io.longshore.api.internal.PowerOfTwoChoicesStrategy;
import io.longshore.api.internal.RandomStrategy;
import io.longshore.api.internal.RoundRobinStrategy;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Picks the backend for one request from the candidates the router allows (healthy, not
 * ejected, not draining). The candidate list is an immutable snapshot and never empty when
 * the router calls; "none" is {@link Optional#empty()}, never {@code null}.
 *
 * <p>Called on request threads concurrently: implementations must be thread-safe and should
 * not block or allocate. A strategy that throws or returns a backend not in the list is
 * replaced by round robin for that request, and the failure is reported.
 */
@FunctionalInterface
public interface LoadBalancingStrategy {

    Optional<Backend> choose(List<Backend> candidates, RouteRequest request);

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
