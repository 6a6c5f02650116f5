package io.longshore.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ConsistentHashStrategyTest {
    private static final int KEYS = 10_000;

    private static RouteRequest user(int n) {
        return TestRequest.withHeader("X-User", "user-" + n);
    }

    /** Where each of {@link #KEYS} users goes, by candidate id. */
    private static List<String> homes(LoadBalancingStrategy strategy, List<Backend> candidates) {
        List<String> homes = new ArrayList<>(KEYS);
        for (int n = 0; n < KEYS; n++) {
            homes.add(candidates.get(strategy.choose(candidates, user(n))).id());
        }
        return homes;
    }

    private static LoadBalancingStrategy byUser() {
        return LoadBalancingStrategy.consistentHash(HashKey.header("X-User"));
    }

    @Test
    void aKeyAlwaysGoesToTheSameCandidateAndKeysSpreadOverAllOfThem() {
        List<Backend> candidates = TestBackend.many(10);
        LoadBalancingStrategy strategy = byUser();

        List<String> homes = homes(strategy, candidates);

        assertThat(homes(strategy, candidates)).isEqualTo(homes);
        for (Backend backend : candidates) {
            long mine = homes.stream().filter(backend.id()::equals).count();
            assertThat(mine).as(backend.id()).isBetween(600L, 1400L);
        }
    }

    @Test
    void anEleventhReplicaTakesAtMostItsShareOfTheKeysPlusTwoPercentAndOnlyFromTheOthers() {
        List<Backend> ten = TestBackend.many(10);
        List<Backend> eleven = TestBackend.many(11);
        LoadBalancingStrategy strategy = byUser();

        List<String> before = homes(strategy, ten);
        List<String> after = homes(strategy, eleven);

        int moved = 0;
        for (int n = 0; n < KEYS; n++) {
            if (!before.get(n).equals(after.get(n))) {
                moved++;
                assertThat(after.get(n)).as("a moved key goes to the new replica").isEqualTo("b10");
            }
        }
        assertThat(moved / (double) KEYS).isLessThanOrEqualTo(1 / 11.0 + 0.02).isGreaterThan(0.05);
    }

    @Test
    void removingAReplicaMovesOnlyItsOwnKeys() {
        List<Backend> ten = TestBackend.many(10);
        List<Backend> nine = new ArrayList<>(ten);
        nine.remove(4);
        LoadBalancingStrategy strategy = byUser();

        List<String> before = homes(strategy, ten);
        List<String> after = homes(strategy, List.copyOf(nine));

        for (int n = 0; n < KEYS; n++) {
            if (!before.get(n).equals("b4")) {
                assertThat(after.get(n)).isEqualTo(before.get(n));
            }
        }
    }

    @Test
    void aHeavierReplicaOwnsMoreOfTheRing() {
        List<Backend> candidates = TestBackend.many(2);
        TestBackend.at(candidates, 1).weight(3);

        List<String> homes = homes(byUser(), candidates);

        assertThat(homes.stream().filter("b1"::equals).count()).isBetween(7000L, 8000L);
    }

    @Test
    void theRingIsKeptWhenTheRouterHandsANewListOfTheSameEndpointsAndWeights() {
        List<Backend> candidates = TestBackend.many(5);
        HashRing ring = HashRing.of(null, candidates);

        assertThat(HashRing.of(ring, List.copyOf(TestBackend.many(5)))).isSameAs(ring);
        TestBackend.at(candidates, 0).weight(2);
        assertThat(HashRing.of(ring, candidates)).isNotSameAs(ring);
    }

    @Test
    void withBoundedLoadsAHotKeyAtThirtyPercentKeepsMaxOverMeanInFlightAtMostOnePointTwoFive() {
        assertThat(maxOverMeanInFlight(byUser())).isLessThanOrEqualTo(1.25);
        assertThat(maxOverMeanInFlight(LoadBalancingStrategy.consistentHash(HashKey.header("X-User"),
                Double.POSITIVE_INFINITY))).as("without bounded loads").isGreaterThan(2.5);
    }

    /**
     * A closed loop of 200 requests in flight on 10 replicas: each step one random request ends
     * and a new one arrives, 30 % of them for one hot user. The highest max / mean in flight seen.
     */
    private static double maxOverMeanInFlight(LoadBalancingStrategy strategy) {
        List<Backend> candidates = TestBackend.many(10);
        SplittableRandom random = new SplittableRandom(42);
        List<Integer> inFlight = new ArrayList<>();
        double worst = 0;
        for (int step = 0; step < 20_000; step++) {
            if (inFlight.size() == 200) {
                TestBackend.at(candidates, inFlight.remove(random.nextInt(inFlight.size()))).inFlight--;
            }
            RouteRequest request = random.nextDouble() < 0.3 ? user(-1) : user(random.nextInt(100_000));
            int picked = strategy.choose(candidates, request);
            TestBackend.at(candidates, picked).inFlight++;
            inFlight.add(picked);
            if (step >= 1_000) {
                int max = candidates.stream().mapToInt(Backend::inFlight).max().orElseThrow();
                worst = Math.max(worst, max / (inFlight.size() / 10.0));
            }
        }
        return worst;
    }

    @Test
    void aRetryGoesOnAlongTheRingPastTheExcludedReplica() {
        List<Backend> candidates = TestBackend.many(5);
        LoadBalancingStrategy strategy = byUser();
        int home = strategy.choose(candidates, user(7));

        int retry = strategy.chooseExcept(candidates, user(7), home);

        assertThat(retry).isNotEqualTo(home).isBetween(0, 4);
        assertThat(strategy.chooseExcept(candidates, user(7), home)).isEqualTo(retry);
    }

    @Test
    void requestsWithoutTheKeyAreSpreadOverTheRing() {
        int[] picks = Picks.count(byUser(), TestBackend.many(4), RouteRequest.of("GET", "/"), 8000);

        for (int count : picks) {
            assertThat(count).isBetween(1400, 2600);
        }
    }

    @Test
    void eachKindOfKeyIsReadFromTheRequestAndNamesTheStrategy() {
        TestRequest request = new TestRequest("/cart/42", Map.of("X-User", "ann", "Cookie", "a=1; session=s-9"),
                "10.0.0.7");

        assertThat(HashKey.header("x-user").of(request)).hasToString("ann");
        assertThat(HashKey.cookie("session").of(request)).hasToString("s-9");
        assertThat(HashKey.clientIp().of(request)).hasToString("10.0.0.7");
        assertThat(HashKey.path().of(request)).hasToString("/cart/42");
        assertThat(LoadBalancingStrategy.consistentHash(HashKey.parse("header:X-User"))).hasToString("hash:header:X-User");
        assertThat(LoadBalancingStrategy.consistentHash(HashKey.parse("cookie:session"))).hasToString("hash:cookie:session");
        assertThat(LoadBalancingStrategy.consistentHash(HashKey.parse("ip"))).hasToString("hash:ip");
        assertThat(LoadBalancingStrategy.consistentHash(HashKey.parse("path"))).hasToString("hash:path");
    }

    @Test
    void badKeysAndBalanceFactorsAreRefusedWithWhatIsWrong() {
        assertThatThrownBy(() -> HashKey.parse("query:q")).hasMessageContaining("header:NAME, cookie:NAME, ip or path");
        assertThatThrownBy(() -> HashKey.header("")).hasMessageContaining("header name must not be blank");
        assertThatThrownBy(() -> HashKey.cookie("a b")).hasMessageContaining("cookie name must be a token");
        assertThatThrownBy(() -> new HashKey(HashKey.Source.PATH, "x")).hasMessageContaining("PATH takes no name");
        assertThatThrownBy(() -> LoadBalancingStrategy.consistentHash(HashKey.path(), 0))
                .hasMessageContaining("balanceFactor must be > 0, was 0.0");
    }
}
