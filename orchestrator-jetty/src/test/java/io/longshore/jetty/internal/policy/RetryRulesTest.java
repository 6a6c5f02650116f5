package io.longshore.jetty.internal.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.longshore.api.Backend;
import io.longshore.api.Endpoint;
import io.longshore.api.LoadBalancingStrategy;
import io.longshore.api.RouteRequest;
import io.longshore.core.Lease;
import io.longshore.core.Router;
import io.longshore.core.Routers;
import io.longshore.testkit.ManualClock;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The retry rules both transports follow. */
class RetryRulesTest {
    private static final RouteRequest GET = RouteRequest.of("GET", "/");
    private final ManualClock clock = new ManualClock();
    private final Router router = Routers.fixed(List.of(Endpoint.loopback(9001), Endpoint.loopback(9002),
            Endpoint.loopback(9003)), LoadBalancingStrategy.roundRobin(), clock);
    private final Backend first = router.routable().get(0);

    private RetryRules rules(double budget) {
        return new RetryRules(new RetryBudget(budget), 25, new SplittableRandom(7));
    }

    @Test
    void aRefusedConnectionGoesElsewhereTwiceForAnyMethodWithoutSpendingTheBudget() {
        RetryRules rules = rules(0);
        rules.start(false);

        assertThat(rules.takeConnectRetry(true)).isTrue();
        assertThat(rules.takeConnectRetry(true)).isTrue();
        assertThat(rules.takeConnectRetry(true)).isFalse();
        rules.start(false);
        assertThat(rules.takeConnectRetry(false)).as("a body no longer whole").isFalse();
    }

    @Test
    void anAnsweredResetOrTimedOutAttemptGoesElsewhereOnceForAnIdempotentMethodWithinTheBudget() {
        RetryRules rules = rules(0.2);

        rules.start(true);
        assertThat(rules.takeRetryElsewhere(router, first, true)).isTrue();
        assertThat(rules.takeRetryElsewhere(router, first, true)).as("only once").isFalse();
        rules.start(false);
        assertThat(rules.takeRetryElsewhere(router, first, true)).as("POST").isFalse();
        rules.start(true);
        assertThat(rules.takeRetryElsewhere(router, first, false)).as("body not replayable").isFalse();
        RetryRules broke = rules(0);
        broke.start(true);
        assertThat(broke.takeRetryElsewhere(router, first, true)).as("no budget").isFalse();
    }

    @Test
    void anUpgradeRequestGoesToNoOtherReplicaOnceItReachedOne() {
        RetryRules rules = rules(1);
        rules.start(true, true);

        assertThat(rules.takeRetryElsewhere(router, first, true)).as("a WebSocket GET, reset or answered 503").isFalse();
        assertThat(rules.takeStaleRetry(true, true, true)).as("a pooled connection that was already closed").isTrue();
        assertThat(rules.takeConnectRetry(true)).as("refused: nothing reached a replica").isTrue();
        rules.start(true);
        assertThat(rules.takeRetryElsewhere(router, first, true)).as("the next, plain request").isTrue();
    }

    @Test
    void noRetryElsewhereWhenTheFailedReplicaIsTheOnlyOneRoutable() {
        Router single = Routers.fixed(List.of(Endpoint.loopback(9001)), LoadBalancingStrategy.roundRobin(), clock);
        RetryRules rules = rules(0.2);
        rules.start(true);

        assertThat(rules.takeRetryElsewhere(single, single.routable().get(0), true)).isFalse();
    }

    @Test
    void aStaleKeepAliveConnectionIsRetriedOnceAndOnlyWhenItHadServedBeforeAndNothingCameBack() {
        RetryRules rules = rules(0);
        rules.start(true);

        assertThat(rules.takeStaleRetry(false, true, true)).as("a new connection").isFalse();
        assertThat(rules.takeStaleRetry(true, false, true)).as("the replica had answered").isFalse();
        assertThat(rules.takeStaleRetry(true, true, true)).isTrue();
        assertThat(rules.takeStaleRetry(true, true, true)).as("only once").isFalse();
    }

    @Test
    void theRetriedStatusesAre502503And504() {
        assertThat(List.of(500, 501, 502, 503, 504, 505, 429)).filteredOn(RetryRules::isRetriedStatus)
                .containsExactly(502, 503, 504);
    }

    @Test
    void pausesAreWithinTheMaximumBackoffAndRepeatableFromTheSameSeed() {
        RetryRules one = new RetryRules(new RetryBudget(0), 25, new SplittableRandom(42));
        RetryRules two = new RetryRules(new RetryBudget(0), 25, new SplittableRandom(42));

        for (int i = 0; i < 200; i++) {
            long pause = one.pauseMillis();
            assertThat(pause).isBetween(0L, 25L).isEqualTo(two.pauseMillis());
        }
        assertThat(new RetryRules(new RetryBudget(0), 0, new SplittableRandom(1)).pauseMillis()).isZero();
    }

    @Test
    void aRetryLeasesNeitherTheReplicaThatFailedNorTheOneThatFailedBeforeIt() {
        RetryRules rules = rules(1);
        rules.start(true);
        Lease lease = router.newLease();
        Backend second = router.routable().get(1);

        assertThat(rules.leaseOther(lease, GET, first, clock.nanoTime())).isTrue();
        Backend retried = lease.backend();
        lease.complete(502, clock.nanoTime());
        assertThat(rules.leaseOther(lease, GET, second, clock.nanoTime())).isTrue();

        assertThat(retried).isNotEqualTo(first);
        assertThat(lease.backend()).isNotIn(first, second);
        assertThat(router.routable()).allMatch(b -> b.inFlight() == (b == lease.backend() ? 1 : 0));
    }
}
