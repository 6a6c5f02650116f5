package io.longshore.core;

import static io.longshore.core.ReplicaPhase.ADOPTED;
import static io.longshore.core.ReplicaPhase.AWAITING_ENDPOINT;
import static io.longshore.core.ReplicaPhase.BACKOFF;
import static io.longshore.core.ReplicaPhase.DRAINING;
import static io.longshore.core.ReplicaPhase.EJECTED;
import static io.longshore.core.ReplicaPhase.LAUNCHING;
import static io.longshore.core.ReplicaPhase.NEW;
import static io.longshore.core.ReplicaPhase.READY;
import static io.longshore.core.ReplicaPhase.STARTING;
import static io.longshore.core.ReplicaPhase.STOPPED;
import static io.longshore.core.ReplicaPhase.STOPPING;
import static io.longshore.core.ReplicaPhase.UNHEALTHY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.longshore.api.Endpoint;
import io.longshore.api.OrchestratorEvent;
import io.longshore.api.ReplicaState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The replica state machine on its own: every named transition, from every state, legal or not. */
class ReplicaStateMachineTest {
    private static final Endpoint ENDPOINT = Endpoint.loopback(8000);
    private static final Departure LEAVE = Departure.remove("test");
    private static final Instant STARTED_AT = Instant.parse("2019-04-27T00:00:00Z");
    private static final Revision REVISION = Revision.of(
            io.longshore.api.ContainerSpec.builder("svc").command("serve").build(), 1);

    /** A named transition: what it does, where it goes, what it says, and the states it starts from. */
    record Transition(String name, Consumer<Replica> apply, ReplicaPhase to, List<String> events,
                      Set<ReplicaPhase> from) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final List<Transition> TRANSITIONS = List.of(
            new Transition("awaitBackoff", Replica::awaitBackoff, BACKOFF, List.of(), EnumSet.of(NEW)),
            new Transition("launch", r -> r.launch("scale out"), LAUNCHING, List.of("ReplicaStarting"),
                    EnumSet.of(NEW, BACKOFF)),
            new Transition("startFailed", r -> r.startFailed("no image", Duration.ofSeconds(1)), BACKOFF,
                    List.of("ReplicaStartFailed"), EnumSet.of(LAUNCHING)),
            new Transition("started", r -> r.started("c-1", STARTED_AT, ENDPOINT, false, Duration.ZERO), STARTING,
                    List.of("ReplicaStarted"), EnumSet.of(LAUNCHING)),
            new Transition("started with an assigned endpoint", r -> r.started("c-1", STARTED_AT, ENDPOINT, true,
                    Duration.ZERO), STARTING, List.of("ReplicaStarted", "ReplicaEndpointAssigned"), EnumSet.of(LAUNCHING)),
            new Transition("started without an endpoint", r -> r.started("c-1", STARTED_AT, null, true, Duration.ZERO),
                    AWAITING_ENDPOINT, List.of("ReplicaStarted"), EnumSet.of(LAUNCHING)),
            new Transition("endpointAssigned", r -> r.endpointAssigned(ENDPOINT, Duration.ZERO), STARTING,
                    List.of("ReplicaEndpointAssigned"), EnumSet.of(AWAITING_ENDPOINT)),
            new Transition("adopt", r -> r.adopt("c-0", STARTED_AT, ENDPOINT, Duration.ZERO), ADOPTED, List.of("ReplicaAdopted"),
                    EnumSet.of(NEW)),
            new Transition("foundStale", r -> r.foundStale("c-0", STARTED_AT, LEAVE, Duration.ZERO), STOPPING,
                    List.of("ReplicaStopping"), EnumSet.of(NEW)),
            new Transition("ready", Replica::ready, READY, List.of("ReplicaReady"), EnumSet.of(STARTING, ADOPTED)),
            new Transition("recovered", r -> r.recovered("200"), READY,
                    List.of("ReplicaHealthChanged", "ReplicaReadmitted"), EnumSet.of(UNHEALTHY)),
            new Transition("eject", r -> r.eject("5 failed requests in a row", Duration.ofSeconds(30)), EJECTED,
                    List.of("ReplicaEjected"), EnumSet.of(READY)),
            new Transition("readmit", Replica::readmit, READY, List.of("ReplicaReadmitted"), EnumSet.of(EJECTED)),
            new Transition("unhealthy", r -> r.unhealthy("500", Duration.ofSeconds(2)), UNHEALTHY,
                    List.of("ReplicaHealthChanged", "ReplicaEjected"), EnumSet.of(READY, EJECTED)),
            new Transition("drain", r -> r.drain(LEAVE), DRAINING, List.of("ReplicaDraining"),
                    EnumSet.of(STARTING, ADOPTED, READY, EJECTED, UNHEALTHY)),
            new Transition("stopping", r -> r.stopping(LEAVE, Duration.ZERO), STOPPING, List.of("ReplicaStopping"),
                    EnumSet.of(LAUNCHING, AWAITING_ENDPOINT, STARTING, ADOPTED, READY, EJECTED, UNHEALTHY, DRAINING)),
            new Transition("exited", r -> r.exited(137, false, LEAVE), STOPPING,
                    List.of("ReplicaExited", "ReplicaStopping"),
                    EnumSet.of(AWAITING_ENDPOINT, STARTING, ADOPTED, READY, EJECTED, UNHEALTHY, DRAINING)),
            new Transition("stopped", Replica::stopped, STOPPED, List.of("ReplicaStopped"), EnumSet.of(STOPPING)),
            new Transition("abandon", r -> r.abandon(LEAVE), STOPPED, List.of(), EnumSet.of(BACKOFF)));

    /** How a fresh replica reaches each state, by legal transitions. */
    private static final Map<ReplicaPhase, List<String>> PATHS = Map.ofEntries(
            Map.entry(NEW, List.of()),
            Map.entry(BACKOFF, List.of("awaitBackoff")),
            Map.entry(LAUNCHING, List.of("launch")),
            Map.entry(AWAITING_ENDPOINT, List.of("launch", "started without an endpoint")),
            Map.entry(STARTING, List.of("launch", "started")),
            Map.entry(ADOPTED, List.of("adopt")),
            Map.entry(READY, List.of("launch", "started", "ready")),
            Map.entry(EJECTED, List.of("launch", "started", "ready", "eject")),
            Map.entry(UNHEALTHY, List.of("launch", "started", "ready", "unhealthy")),
            Map.entry(DRAINING, List.of("launch", "started", "ready", "drain")),
            Map.entry(STOPPING, List.of("launch", "started", "ready", "stopping")),
            Map.entry(STOPPED, List.of("launch", "started", "ready", "stopping", "stopped")));

    private final StubPort port = new StubPort();

    private Replica replicaIn(ReplicaPhase phase) {
        Replica replica = new Replica("svc-8000-1", 8000, REVISION, port);
        for (String step : PATHS.get(phase)) {
            transition(step).apply().accept(replica);
        }
        assertThat(replica.phase()).isEqualTo(phase);
        port.events.clear();
        return replica;
    }

    private static Transition transition(String name) {
        return TRANSITIONS.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }

    static Stream<Arguments> legalMoves() {
        return TRANSITIONS.stream().flatMap(t -> t.from().stream().map(from -> Arguments.of(t, from)));
    }

    static Stream<Arguments> illegalMoves() {
        return TRANSITIONS.stream().flatMap(t -> EnumSet.complementOf(EnumSet.copyOf(t.from())).stream()
                .map(from -> Arguments.of(t, from)));
    }

    @ParameterizedTest(name = "{0} from {1}")
    @MethodSource("legalMoves")
    void eachTransitionMovesFromEveryStateItAllowsToItsTargetAndEmitsItsEvents(Transition transition, ReplicaPhase from) {
        Replica replica = replicaIn(from);

        transition.apply().accept(replica);

        assertThat(replica.phase()).isEqualTo(transition.to());
        assertThat(port.eventTypes()).containsExactlyElementsOf(transition.events());
        assertThat(port.events).allSatisfy(event -> {
            OrchestratorEvent.ReplicaEvent replicaEvent = (OrchestratorEvent.ReplicaEvent) event;
            assertThat(replicaEvent.replicaId()).isEqualTo("svc-8000-1");
            assertThat(replicaEvent.port()).isEqualTo(8000);
            assertThat(replicaEvent.service()).isEqualTo("svc");
        });
    }

    @ParameterizedTest(name = "{0} from {1}")
    @MethodSource("illegalMoves")
    void everyOtherTransitionThrowsNamingTheReplicaAndBothStatesAndChangesNothing(Transition transition,
                                                                                ReplicaPhase from) {
        Replica replica = replicaIn(from);

        assertThatThrownBy(() -> transition.apply().accept(replica))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("replica svc-8000-1: illegal transition from " + from + " to " + transition.to());
        assertThat(replica.phase()).isEqualTo(from);
        assertThat(port.events).isEmpty();
    }

    @Test
    void anIllegalTransitionFailsLoudly() {
        Replica replica = replicaIn(STARTING);

        assertThatThrownBy(replica::readmit)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("replica svc-8000-1: illegal transition from STARTING to READY");
    }

    @Test
    void theNamedTransitionsCoverEveryEdgeOfTheStateTableAndNoOther() {
        Set<List<ReplicaPhase>> named = new HashSet<>();
        TRANSITIONS.forEach(t -> t.from().forEach(from -> named.add(List.of(from, t.to()))));
        Set<List<ReplicaPhase>> table = new HashSet<>();
        for (ReplicaPhase from : ReplicaPhase.values()) {
            from.next().forEach(to -> table.add(List.of(from, to)));
        }

        assertThat(named).isEqualTo(table);
        assertThat(STOPPED.next()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(ReplicaPhase.class)
    void everyStateShowsAsOneOfTheFiveAdminStates(ReplicaPhase phase) {
        Map<ReplicaPhase, ReplicaState> shown = Map.ofEntries(
                Map.entry(NEW, ReplicaState.STARTING), Map.entry(BACKOFF, ReplicaState.STARTING),
                Map.entry(LAUNCHING, ReplicaState.STARTING), Map.entry(AWAITING_ENDPOINT, ReplicaState.STARTING),
                Map.entry(STARTING, ReplicaState.STARTING), Map.entry(ADOPTED, ReplicaState.STARTING),
                Map.entry(READY, ReplicaState.READY), Map.entry(EJECTED, ReplicaState.UNHEALTHY),
                Map.entry(UNHEALTHY, ReplicaState.UNHEALTHY), Map.entry(DRAINING, ReplicaState.DRAINING),
                Map.entry(STOPPING, ReplicaState.DRAINING), Map.entry(STOPPED, ReplicaState.STOPPED));

        assertThat(replicaIn(phase).view(false, 0).state()).isEqualTo(shown.get(phase));
    }

    @Test
    void anAdoptedReplicaKeepsWhatIsLeftOfItsStartGraceCountedFromWhenItStarted() {
        Replica starting = new Replica("svc-8000-1", 8000, REVISION, port);
        starting.adopt("c-0", port.clock.instant().minusSeconds(3), ENDPOINT, Duration.ofSeconds(10));
        Replica old = new Replica("svc-8001-2", 8001, REVISION, port);
        old.adopt("c-1", port.clock.instant().minusSeconds(60), Endpoint.loopback(8001), Duration.ofSeconds(10));

        assertThat(starting.inStartGrace(port.clock.nanoTime())).isTrue();
        assertThat(old.inStartGrace(port.clock.nanoTime())).isFalse();
        port.clock.advance(Duration.ofMillis(6_999));
        assertThat(starting.inStartGrace(port.clock.nanoTime())).isTrue();
        port.clock.advance(Duration.ofMillis(1));
        assertThat(starting.inStartGrace(port.clock.nanoTime())).as("7 s after adoption, 10 s after its start").isFalse();
    }

    @Test
    void theViewShowsTheEndpointOnlyOnceItIsKnown() {
        Replica replica = replicaIn(AWAITING_ENDPOINT);
        assertThat(replica.view(false, 0).endpoint()).isNull();
        assertThat(replica.backend()).isNull();

        replica.endpointAssigned(Endpoint.loopback(40_001), Duration.ZERO);

        assertThat(replica.view(false, 0).endpoint()).isEqualTo(Endpoint.loopback(40_001));
        assertThat(replica.view(false, 0).port()).isEqualTo(8000);
        assertThat(replica.backend().endpoint()).isEqualTo(Endpoint.loopback(40_001));
    }

    @Test
    void theReadyStretchEndsWhenTheReplicaLeavesReadyAndAnEjectionRestartsIt() {
        Replica replica = replicaIn(READY);
        port.clock.advance(Duration.ofSeconds(10));
        replica.unhealthy("500", Duration.ofSeconds(2));
        port.clock.advance(Duration.ofSeconds(5));
        assertThat(replica.readyForNanos(port.clock.nanoTime())).isEqualTo(Duration.ofSeconds(10).toNanos());

        replica.recovered("200");
        port.clock.advance(Duration.ofSeconds(3));
        replica.eject("5 failed requests in a row", Duration.ofSeconds(30));
        replica.readmit();
        port.clock.advance(Duration.ofSeconds(1));

        assertThat(replica.readyForNanos(port.clock.nanoTime())).isEqualTo(Duration.ofSeconds(1).toNanos());
    }

    @Test
    void aStartGraceHoldsOnlyUntilTheReplicaWasReadyOnce() {
        Replica replica = replicaIn(LAUNCHING);
        replica.started("c-1", STARTED_AT, ENDPOINT, false, Duration.ofSeconds(10));
        assertThat(replica.inStartGrace(port.clock.nanoTime())).isTrue();

        replica.ready();

        assertThat(replica.inStartGrace(port.clock.nanoTime())).isFalse();
    }

    @Test
    void changesWithinAStateAreRefusedOutsideIt() {
        Replica ready = replicaIn(READY);
        assertThatThrownBy(ready::withoutReplacement).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is not leaving but READY");
        assertThatThrownBy(() -> ready.launchedWhileStopping("c-2", STARTED_AT))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("must be STOPPING, is READY");

        Replica stopping = replicaIn(LAUNCHING);
        stopping.stopping(Departure.replace("replaced by request", false, Duration.ZERO), Duration.ZERO);
        stopping.launchedWhileStopping("c-2", STARTED_AT);
        stopping.withoutReplacement();

        assertThat(stopping.containerId()).isEqualTo("c-2");
        assertThat(stopping.departure().replace()).isFalse();
        assertThatThrownBy(() -> stopping.launchedWhileStopping("c-3", STARTED_AT))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already has container c-2");
    }

    @Test
    void theStoppingEventCarriesTheGraceTheRuntimeGets() {
        Replica replica = replicaIn(READY);

        replica.stopping(Departure.replace("failed 3 probes in a row", false, Duration.ZERO), Duration.ZERO);

        List<OrchestratorEvent.ReplicaStopping> stopping = new ArrayList<>();
        port.events.forEach(e -> stopping.add((OrchestratorEvent.ReplicaStopping) e));
        assertThat(stopping).singleElement().satisfies(e -> {
            assertThat(e.grace()).isZero();
            assertThat(e.reason()).isEqualTo("failed 3 probes in a row");
            assertThat(e.containerId()).isEqualTo("c-1");
        });
        assertThat(replica.stopGrace()).isZero();
    }
}
