package io.longshore.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.longshore.api.ConfigurationException;
import io.longshore.api.ContainerSpec;
import io.longshore.api.Endpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The rolling-update arithmetic on its own: surge, unavailability, availability, which replicas go first. */
class RolloutPlannerTest {
    private static final Revision OLD = Revision.of(ContainerSpec.builder("svc").command("v1").build(), 1);
    private static final Revision NEW = Revision.of(ContainerSpec.builder("svc").command("v2").build(), 2);
    private static final Duration MIN_READY = Duration.ofSeconds(5);

    private final StubPort port = new StubPort();
    private final List<Replica> replicas = new ArrayList<>();

    private RolloutPlanner planner(RolloutConfig.Builder config) {
        return new RolloutPlanner(config.minReady(MIN_READY).build());
    }

    /** A replica of {@code revision} on {@code slot}: available (ready 5 s ago), ready just now, or starting. */
    private Replica replica(int slot, Revision revision, String condition) {
        Replica replica = new Replica("svc-" + slot, slot, revision, port);
        replica.launch("test");
        replica.started("c-" + slot, Instant.EPOCH, Endpoint.loopback(slot), false, Duration.ZERO);
        if (!condition.equals("starting")) {
            replica.ready();
        }
        replicas.add(replica);
        return replica;
    }

    private RolloutPlanner.Plan plan(RolloutPlanner planner, int desired, boolean rolling) {
        return planner.plan(replicas, 0, NEW.hash(), desired, rolling, port.clock.nanoTime());
    }

    private static List<Integer> ports(RolloutPlanner.Plan plan) {
        return plan.leave().stream().map(Replica::port).toList();
    }

    @ParameterizedTest(name = "{0} desired: surge {1}")
    @CsvSource({"0, 1", "1, 1", "3, 1", "4, 1", "5, 2", "8, 2", "10, 3"})
    void theDefaultSurgeIs25PercentRoundedUpAndAtLeastOne(int desired, int surge) {
        RolloutConfig defaults = RolloutConfig.defaults();

        assertThat(defaults.surgeFor(desired)).isEqualTo(surge);
        assertThat(defaults.unavailableFor(desired)).isZero();
    }

    @Test
    void unavailabilityInPercentRoundsDownAndTwoZerosMakeASurgeOfOne() {
        RolloutConfig quarter = RolloutConfig.builder().maxSurge(0).maxUnavailablePercent(25).build();
        RolloutConfig zeros = RolloutConfig.builder().maxSurge(0).maxUnavailable(0).build();

        assertThat(quarter.unavailableFor(7)).isEqualTo(1);
        assertThat(quarter.surgeFor(7)).isZero();
        assertThat(quarter.surgeFor(3)).as("nothing may be unavailable at 3: one surges").isEqualTo(1);
        assertThat(zeros.surgeFor(10)).isEqualTo(1);
    }

    @Test
    void theBuilderRefusesBadSettingsNamingThem() {
        assertThatThrownBy(() -> RolloutConfig.builder().maxSurge(-1)).hasMessageContaining("maxSurge");
        assertThatThrownBy(() -> RolloutConfig.builder().maxUnavailablePercent(101))
                .hasMessageContaining("maxUnavailablePercent must be in 0..100");
        assertThatThrownBy(() -> RolloutConfig.builder().crashLoopRestarts(0)).hasMessageContaining("crashLoopRestarts");
        assertThatThrownBy(() -> RolloutConfig.builder().progressDeadline(Duration.ZERO))
                .hasMessageContaining("progressDeadline");
        assertThatThrownBy(() -> RolloutConfig.builder().minReady(Duration.ofMinutes(3)).build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("shorter than its progressDeadline");
        assertThat(RolloutConfig.defaults()).hasToString(
                "rollout(maxSurge=25%, maxUnavailable=0%, minReady=PT5S, progressDeadline=PT2M, crashLoop=3)");
    }

    @Test
    void withAllOldReplicasAvailableOneNewStartsAndNoneLeaves() {
        for (int slot = 8000; slot < 8004; slot++) {
            replica(slot, OLD, "available");
        }
        port.clock.advance(MIN_READY);

        RolloutPlanner.Plan plan = plan(planner(RolloutConfig.builder()), 4, true);

        assertThat(plan.start()).isEqualTo(1);
        assertThat(plan.leave()).isEmpty();
    }

    @Test
    void anAvailableNewReplicaLetsTheLowestOldPortLeave() {
        replica(8000, OLD, "available");
        replica(8001, OLD, "available");
        replica(8002, OLD, "available");
        replica(8003, NEW, "available");
        port.clock.advance(MIN_READY);

        RolloutPlanner.Plan plan = plan(planner(RolloutConfig.builder()), 3, true);

        assertThat(plan.start()).isZero();
        assertThat(ports(plan)).containsExactly(8000);
    }

    @Test
    void aNewReplicaReadyForLessThanMinReadyIsNotYetAvailable() {
        replica(8000, OLD, "available");
        port.clock.advance(MIN_READY);
        Replica fresh = replica(8001, NEW, "ready");
        RolloutPlanner planner = planner(RolloutConfig.builder());

        assertThat(plan(planner, 1, true).leave()).isEmpty();
        port.clock.advance(MIN_READY.minusNanos(1));
        assertThat(planner.available(fresh, port.clock.nanoTime())).isFalse();
        port.clock.advance(Duration.ofNanos(1));
        assertThat(ports(plan(planner, 1, true))).containsExactly(8000);
    }

    @Test
    void surgeTwoAndUnavailableOneStartTwoAndLetOneOldLeaveAtOnce() {
        for (int slot = 8000; slot < 8004; slot++) {
            replica(slot, OLD, "available");
        }
        port.clock.advance(MIN_READY);

        RolloutPlanner.Plan plan = plan(planner(RolloutConfig.builder().maxSurge(2).maxUnavailable(1)), 4, true);

        assertThat(plan.start()).isEqualTo(2);
        assertThat(ports(plan)).containsExactly(8000);
    }

    @Test
    void unavailableOldReplicasLeaveFirstSinceTheyCostNoCapacity() {
        replica(8000, OLD, "available");
        replica(8001, OLD, "starting");
        replica(8002, OLD, "available");
        replica(8003, NEW, "available");
        port.clock.advance(MIN_READY);

        RolloutPlanner.Plan plan = plan(planner(RolloutConfig.builder()), 3, true);

        assertThat(ports(plan)).containsExactly(8001);
    }

    @Test
    void anOldReplicaStillLeavingKeepsTheSurgeSlotSoTheNextNewOneWaitsForItsPort() {
        replica(8001, OLD, "available");
        replica(8002, OLD, "available");
        replica(8003, NEW, "available");
        port.clock.advance(MIN_READY);
        RolloutPlanner planner = planner(RolloutConfig.builder());

        assertThat(planner.plan(replicas, 1, NEW.hash(), 3, true, port.clock.nanoTime()).start()).isZero();
        assertThat(planner.plan(replicas, 0, NEW.hash(), 3, true, port.clock.nanoTime()).start()).isEqualTo(1);
    }

    @Test
    void pausedNothingIsReplacedButTheCountFollowsTheDesiredOneWithNewReplicas() {
        replica(8000, OLD, "available");
        replica(8001, OLD, "available");
        replica(8002, NEW, "available");
        port.clock.advance(MIN_READY);
        RolloutPlanner planner = planner(RolloutConfig.builder());

        assertThat(plan(planner, 2, false)).isEqualTo(RolloutPlanner.Plan.NOTHING);
        assertThat(plan(planner, 5, false).start()).isEqualTo(2);
        RolloutPlanner.Plan scaleIn = plan(planner, 1, false);
        assertThat(scaleIn.start()).isZero();
        assertThat(ports(scaleIn)).as("1 + surge 1 stay: an old one leaves").containsExactly(8000);
    }

    @Test
    void withoutOldReplicasItScalesLikeBeforeRolloutsExisted() {
        for (int slot = 8000; slot < 8004; slot++) {
            replica(slot, NEW, "available");
        }

        RolloutPlanner planner = planner(RolloutConfig.builder());

        assertThat(plan(planner, 6, true).start()).isEqualTo(2);
        assertThat(ports(plan(planner, 2, true))).as("scale-in from the highest port").containsExactly(8003, 8002);
    }

    @Test
    void replicasBeyondTheSurgeNeverTakeAnAvailableOldOneBelowTheAllowedUnavailability() {
        replica(8001, OLD, "available");
        replica(8002, OLD, "available");
        port.clock.advance(MIN_READY);
        replica(8000, NEW, "starting");
        replica(8003, NEW, "starting");
        replica(8004, NEW, "starting");
        RolloutPlanner planner = planner(RolloutConfig.builder().maxSurge(1).maxUnavailable(1));

        RolloutPlanner.Plan plan = plan(planner, 3, true);

        assertThat(plan.leave()).as("3 desired, 1 may be unavailable: both available old ones stay").isEmpty();
        assertThat(plan.start()).isZero();
        assertThat(ports(plan(planner, 2, true))).as("at 2 desired one new and one old go").containsExactly(8004, 8001);
    }
}
