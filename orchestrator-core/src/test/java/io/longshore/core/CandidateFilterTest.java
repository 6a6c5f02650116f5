package io.longshore.core;

import static io.longshore.core.Candidate.Condition.EJECTED;
import static io.longshore.core.Candidate.Condition.LEAVING;
import static io.longshore.core.Candidate.Condition.READY;
import static io.longshore.core.Candidate.Condition.STARTING;
import static io.longshore.core.Candidate.Condition.UNHEALTHY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.longshore.api.Backend;
import io.longshore.api.Endpoint;
import io.longshore.api.LoadBalancingStrategy;
import io.longshore.core.internal.DefaultRouter;
import io.longshore.core.internal.ReplicaBackend;
import io.longshore.testkit.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one candidate filter the orchestrator and fixed backends share, and the one ejection rule. */
class CandidateFilterTest {
    private final CandidateFilter standard = CandidateFilter.standard(50);

    private static Candidate candidate(int port, Candidate.Condition condition) {
        return Candidate.of(new ReplicaBackend("r" + port, Endpoint.loopback(port)), condition, 0);
    }

    private static List<Integer> ports(CandidateFilter.Selection selection) {
        return selection.routed().stream().map(c -> c.backend().endpoint().port()).toList();
    }

    @Test
    void healthEjectionAndDrainingEachDropTheirCandidatesAndTheOrderStays() {
        List<Candidate> all = List.of(candidate(1, READY), candidate(2, STARTING), candidate(3, UNHEALTHY),
                candidate(4, READY), candidate(5, EJECTED), candidate(6, LEAVING), candidate(7, READY));

        CandidateFilter.Selection selection = new CandidateFilter(
                List.of(CandidateFilter.HEALTH, CandidateFilter.EJECTION, CandidateFilter.DRAINING), 0).select(all, 0);

        assertThat(ports(selection)).containsExactly(1, 4, 7);
        assertThat(selection.panic()).isFalse();
        assertThat(ports(new CandidateFilter(List.of(CandidateFilter.HEALTH), 0).select(all, 0)))
                .containsExactly(1, 4, 5, 6, 7);
        assertThat(ports(new CandidateFilter(List.of(CandidateFilter.EJECTION), 0).select(all, 0)))
                .containsExactly(1, 2, 3, 4, 6, 7);
        assertThat(ports(new CandidateFilter(List.of(CandidateFilter.DRAINING), 0).select(all, 0)))
                .containsExactly(1, 2, 3, 4, 5, 7);
    }

    @Test
    void belowThePanicThresholdThePoolOfOnceReadyReplicasThatStayIsRouted() {
        List<Candidate> all = List.of(candidate(1, READY), candidate(2, EJECTED), candidate(3, UNHEALTHY),
                candidate(4, STARTING), candidate(5, LEAVING));

        CandidateFilter.Selection selection = standard.select(all, 0);

        assertThat(selection.panic()).isTrue();
        assertThat(ports(selection)).containsExactly(1, 2, 3);
    }

    @Test
    void atThePanicThresholdTheFilterStandsAndWithoutAPoolThereIsNoPanic() {
        assertThat(ports(standard.select(List.of(candidate(1, READY), candidate(2, UNHEALTHY)), 0)))
                .containsExactly(1);
        CandidateFilter.Selection starting = standard.select(List.of(candidate(1, STARTING), candidate(2, LEAVING)), 0);
        assertThat(starting.routed()).isEmpty();
        assertThat(starting.panic()).isFalse();
    }

    @Test
    void aStepCanLowerACandidatesWeightAndThePublisherPutsItOnTheBackend() {
        CandidateFilter.Step halfForTheNewest = CandidateFilter.Step.weighing((candidate, now) ->
                now - candidate.readySinceNanos() < Duration.ofSeconds(30).toNanos() ? 0.5 : candidate.weight());
        CandidateFilter filter = new CandidateFilter(List.of(CandidateFilter.HEALTH, halfForTheNewest), 50);
        ReplicaBackend old = new ReplicaBackend("old", Endpoint.loopback(1));
        ReplicaBackend fresh = new ReplicaBackend("fresh", Endpoint.loopback(2));
        long now = Duration.ofMinutes(5).toNanos();
        List<Candidate> all = List.of(Candidate.of(old, READY, 0), Candidate.of(fresh, READY, now - 1_000));
        DefaultRouter router = new DefaultRouter(LoadBalancingStrategy.roundRobin(), new ManualClock(), 0,
                new DefaultRouter.Hooks() { });

        new RoutingPublisher(router, filter).publish(all, now);

        assertThat(router.routable()).extracting(Backend::id).containsExactly("old", "fresh");
        assertThat(old.weightShare()).isEqualTo(1.0);
        assertThat(fresh.weightShare()).isEqualTo(0.5);
    }

    @Test
    void aStepMayLowerAWeightButNeverRaiseItNorDropItToZero() {
        CandidateFilter halving = new CandidateFilter(List.of(CandidateFilter.Step.weighing((c, now) -> c.weight() / 2),
                CandidateFilter.Step.weighing((c, now) -> c.weight() / 2)), 0);
        assertThat(halving.select(List.of(candidate(1, READY)), 0).routed()).singleElement()
                .satisfies(c -> assertThat(c.weight()).isEqualTo(0.25));

        CandidateFilter raising = new CandidateFilter(List.of(CandidateFilter.Step.weighing((c, now) -> 0.5),
                CandidateFilter.Step.weighing((c, now) -> 0.8)), 0);
        assertThatThrownBy(() -> raising.select(List.of(candidate(1, READY)), 0))
                .hasMessageContaining("may only lower a weight: 0.5 -> 0.8");
        CandidateFilter zeroing = new CandidateFilter(List.of(CandidateFilter.Step.weighing((c, now) -> 0.0)), 0);
        assertThatThrownBy(() -> zeroing.select(List.of(candidate(1, READY)), 0))
                .hasMessageContaining("weight must be in (0, 1]");
    }

    @Test
    void thePublisherPublishesOnlyWhenTheSelectionChanged() {
        DefaultRouter router = new DefaultRouter(LoadBalancingStrategy.roundRobin(), new ManualClock(), 0,
                new DefaultRouter.Hooks() { });
        RoutingPublisher publisher = new RoutingPublisher(router, standard);
        List<Candidate> all = List.of(candidate(1, READY), candidate(2, READY));

        publisher.publish(all, 0);
        long first = router.snapshotSequence();
        publisher.publish(new ArrayList<>(all), 0);
        assertThat(router.snapshotSequence()).isEqualTo(first);

        publisher.publish(List.of(all.get(0), Candidate.of(all.get(1).backend(), EJECTED, 0)), 0);
        assertThat(router.snapshotSequence()).isEqualTo(first + 1);
        assertThat(router.routable()).extracting(Backend::id).containsExactly("r1");
    }

    @Test
    void ejectionIsDecidedForReadyBackendsOnlyGrowsWithEachEjectionAndKeepsTheShare() {
        OutlierEjection ejection = new OutlierEjection(new OutlierDetection(true, 5, Duration.ofSeconds(30),
                Duration.ofSeconds(70), 50, 50));
        Candidate a = candidate(1, READY);
        Candidate b = candidate(2, READY);

        assertThat(ejection.eject(a.backend(), List.of(a, b))).contains(Duration.ofSeconds(30));
        Candidate ejectedA = Candidate.of(a.backend(), EJECTED, 0);
        assertThat(ejection.eject(b.backend(), List.of(ejectedA, b))).as("a second of two is over 50 %").isEmpty();
        assertThat(ejection.eject(a.backend(), List.of(ejectedA, b))).as("already ejected").isEmpty();
        assertThat(ejection.eject(a.backend(), List.of(a, b))).contains(Duration.ofSeconds(60));
        assertThat(ejection.eject(a.backend(), List.of(a, b))).contains(Duration.ofSeconds(70));
        assertThat(ejection.eject(candidate(3, READY).backend(), List.of(a, b))).as("not a candidate").isEmpty();
    }

    @Test
    void aDeclinedReportResetsTheFailureStreakSoTheBackendCanBeReportedAgain() {
        OutlierEjection ejection = new OutlierEjection(OutlierDetection.defaults());
        DefaultRouter router = new DefaultRouter(LoadBalancingStrategy.roundRobin(), new ManualClock(), 1,
                new DefaultRouter.Hooks() { });
        Candidate unhealthy = candidate(1, UNHEALTHY);
        router.publish(List.of(unhealthy.backend()));
        Lease lease = router.newLease();
        assertThat(lease.acquire(Harness.GET, null, 0)).isTrue();
        lease.complete(503, 0);
        assertThat(unhealthy.backend().consecutiveFailures()).isEqualTo(1);

        assertThat(ejection.eject(unhealthy.backend(), List.of(unhealthy))).isEmpty();

        assertThat(unhealthy.backend().consecutiveFailures()).isZero();
    }

    @Test
    void disabledDetectionNeverEjectsAndAsksTheRouterForNoReports() {
        OutlierEjection ejection = new OutlierEjection(OutlierDetection.disabled());
        Candidate a = candidate(1, READY);

        assertThat(ejection.reportThreshold()).isZero();
        assertThat(ejection.eject(a.backend(), List.of(a, candidate(2, READY)))).isEmpty();
        assertThat(new OutlierEjection(OutlierDetection.defaults()).reportThreshold()).isEqualTo(5);
    }
}
