package io.longshore.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.longshore.api.ContainerSpec;
import io.longshore.api.Endpoint;
import io.longshore.api.OrchestratorEvent;
import io.longshore.api.ReplicaState;
import io.longshore.core.internal.DefaultRouter;
import io.longshore.testkit.FakeContainerRuntime;
import io.longshore.testkit.ScriptedProbe;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The collaborators of the control loop work through their {@link ControlPort} and the replica
 * table alone, and hand their decisions back instead of acting on the loop: each runs here on a
 * stub port, without any loop.
 */
class ControlPortTest {
    private static final Revision REVISION = Revision.of(ContainerSpec.builder("svc").command("serve").build(), 1);
    private final StubPort port = new StubPort();
    private final ReplicaTable table = new ReplicaTable("svc");
    private final FakeContainerRuntime runtime = new FakeContainerRuntime(port.clock);
    private final ScriptedProbe probe = new ScriptedProbe();

    private OrchestratorBuilder builder() {
        return Orchestrator.builder().service(ContainerSpec.builder("svc").command("serve").build())
                .runtime(runtime).clock(port.clock).healthProbe(probe).startGracePeriod(Duration.ZERO);
    }

    private Replica startedReplica(int port) {
        Replica replica = new Replica(table.nextId(port), port, REVISION, this.port);
        table.add(replica);
        replica.launch("test");
        replica.started("c-" + port, Instant.EPOCH, Endpoint.loopback(port), false, Duration.ZERO);
        return replica;
    }

    @Test
    void probesMakeAReplicaReadyAndHandFallFailuresToTheirOwnerAsADecision() {
        Replica replica = startedReplica(8000);
        List<String> replacements = new CopyOnWriteArrayList<>();
        ProbeRunner probes = new ProbeRunner(port, table, builder().config(), Runnable::run,
                (failed, reason) -> replacements.add(failed.id() + ": " + reason));

        probes.start();
        port.clock.advance(Duration.ofSeconds(1));
        assertThat(replica.phase()).isEqualTo(ReplicaPhase.READY);

        probe.set(8000, ScriptedProbe.Answer.FAIL);
        port.clock.advance(Duration.ofSeconds(3));

        assertThat(replica.phase()).as("the owner, not the probes, replaces").isEqualTo(ReplicaPhase.UNHEALTHY);
        assertThat(replacements).first().isEqualTo("svc-8000-1: failed 3 probes in a row: 500");
        assertThat(probes.lastHealthy(replica)).isFalse();
        assertThat(port.eventTypes()).containsSubsequence("ReplicaReady", "ReplicaHealthChanged", "ReplicaEjected");
    }

    @Test
    void aThrowingProbeIsReportedThroughThePortAsUserCode() {
        startedReplica(8000);
        probe.set(8000, ScriptedProbe.Answer.THROW);
        ProbeRunner probes = new ProbeRunner(port, table, builder().config(), Runnable::run, (failed, reason) -> { });

        probes.start();
        port.scheduler.runPending(); // the probe's call ran off the loop; its failure comes back as a loop task

        assertThat(port.userCodeFailures).singleElement().asString().startsWith("probe scripted: ")
                .contains("scripted probe bug");
    }

    @Test
    void theEjectorEjectsAReportedReplicaAndReadmitsItThroughAPortTimerWhenTheEjectionEnds() {
        Replica replica = startedReplica(8000);
        replica.ready();
        Replica other = startedReplica(8001);
        other.ready();
        OutlierEjector ejector = new OutlierEjector(port, table, new OutlierEjection(OutlierDetection.defaults()));

        ejector.onOutlier(replica.backend());

        assertThat(replica.phase()).isEqualTo(ReplicaPhase.EJECTED);
        assertThat(port.scheduler.pendingTasks()).isEqualTo(1);
        port.clock.advance(OutlierDetection.DEFAULT_BASE_EJECTION.minusSeconds(1));
        assertThat(replica.phase()).isEqualTo(ReplicaPhase.EJECTED);
        port.clock.advance(Duration.ofSeconds(1));

        assertThat(replica.phase()).isEqualTo(ReplicaPhase.READY);
        assertThat(port.eventTypes()).endsWith("ReplicaEjected", "ReplicaReadmitted");
    }

    @Test
    void theScalingTickerHandsItsClampedDecisionToItsTargetAndChangesNothingItself() {
        startedReplica(8000).ready();
        List<String> decisions = new CopyOnWriteArrayList<>();
        OrchestratorConfig config = builder().minReplicas(1).maxReplicas(3).scalingInterval(Duration.ofSeconds(30))
                .scalingPolicy(context -> 100).config();
        DefaultRouter router = new DefaultRouter(config.strategy(), port.clock, 0, new DefaultRouter.Hooks() { });
        ScalingTicker ticker = new ScalingTicker(port, table, router, config, new ScalingTicker.Target() {
            @Override
            public int desired() {
                return 1;
            }

            @Override
            public Optional<Instant> lastScaledAt() {
                return Optional.empty();
            }

            @Override
            public void scaleTo(int replicas, String reason) {
                decisions.add(replicas + " (" + reason + ")");
            }

            @Override
            public void decided(io.longshore.api.OrchestratorEvent.ScalingDecided decision) {
                decisions.add(decision.trigger() + " " + decision.from() + "->" + decision.to() + " " + decision.clamps());
            }
        });

        port.events.clear();

        ticker.start();
        port.clock.advance(Duration.ofSeconds(30));

        assertThat(decisions).containsExactly("tick 1->3 [max]",
                "3 (policy " + config.scalingPolicy() + " wants 100 (clamped to 3))");
        assertThat(table.all()).hasSize(1);
        assertThat(port.events).isEmpty();
    }

    @Test
    void aDrainPublishesTheRoutingThroughThePortBeforeItLooksAtTheRequestsInFlight() {
        Replica replica = startedReplica(8000);
        replica.ready();
        AtomicInteger removals = new AtomicInteger();
        ReplicaLifecycle lifecycle = new ReplicaLifecycle(port, table, builder().config(), new ReplicaLifecycle.Revisions() {
            @Override
            public Revision target() {
                return REVISION;
            }

            @Override
            public void failed(Replica replica, String reason) {
                throw new AssertionError("no replica fails here");
            }
        }, removals::incrementAndGet);

        assertThat(lifecycle.leave(replica, Departure.remove("scale in"))).isTrue();

        assertThat(port.publications).isEqualTo(1);
        assertThat(port.eventTypes()).containsSubsequence("ReplicaDraining", "ReplicaStopping");
        port.scheduler.runPending();
        assertThat(table.all()).isEmpty();
        assertThat(removals.get()).as("the owner is told, to reconcile").isEqualTo(1);
        assertThat(replica.view(false, 0).state()).isEqualTo(ReplicaState.STOPPED);
        assertThat(port.events).filteredOn(OrchestratorEvent.ReplicaStopping.class::isInstance)
                .singleElement().satisfies(e -> assertThat(((OrchestratorEvent.ReplicaStopping) e).grace())
                        .isEqualTo(ContainerSpec.DEFAULT_STOP_GRACE));
    }
}
