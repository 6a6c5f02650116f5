package io.longshore.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.longshore.api.ContainerInfo;
import io.longshore.api.ContainerRuntime;
import io.longshore.api.ContainerSpec;
import io.longshore.api.Endpoint;
import io.longshore.api.OrchestratorEvent.ReplicaExited;
import io.longshore.api.OrchestratorEvent.ReplicaStartFailed;
import io.longshore.api.OrchestratorEvent.ReplicaStarting;
import io.longshore.api.ReplicaState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FailureRecoveryTest {
    private final Harness h = new Harness();

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void anExitEventUnroutesAtOnceAndReplacesOnTheSamePort() {
        h.startReady(3);
        String dead = h.containerAt(8001);

        h.runtime.crash(dead, 137);
        h.scheduler.runPending();

        assertThat(h.routablePorts()).containsExactly(8000, 8002);
        assertThat(h.events(ReplicaExited.class)).singleElement().satisfies(e -> {
            assertThat(e.containerId()).isEqualTo(dead);
            assertThat(e.exitCode()).isEqualTo(137);
        });
        assertThat(h.runningPorts()).containsExactly(8000, 8001, 8002);
        assertThat(h.containerAt(8001)).isNotEqualTo(dead);
        assertThat(h.replicaAt(8001).state()).isEqualTo(ReplicaState.STARTING);

        h.seconds(2);
        assertThat(h.routablePorts()).containsExactly(8000, 8001, 8002);
    }

    @Test
    void anExitReportedBeforeTheStartAnsweredStillReplacesTheReplica() {
        java.util.concurrent.atomic.AtomicBoolean crashNext = new java.util.concurrent.atomic.AtomicBoolean(true);
        ContainerRuntime dying = new DelegatingRuntime(h.runtime) {
            @Override
            public ContainerInfo start(ContainerSpec spec, Endpoint endpoint, Map<String, String> labels) {
                ContainerInfo info = h.runtime.start(spec, endpoint, labels);
                if (crashNext.getAndSet(false)) {
                    h.runtime.crash(info.id(), 127);
                }
                return info;
            }

            @Override
            public String name() {
                return "dying";
            }
        };

        h.start(h.builder().runtime(dying).initialReplicas(1));

        assertThat(h.events(ReplicaExited.class)).singleElement().satisfies(e -> assertThat(e.exitCode()).isEqualTo(127));
        assertThat(h.runtime.startedIds()).hasSize(2);
        assertThat(h.runningPorts()).containsExactly(8000);
    }

    @Test
    void anOomKillIsReportedAsSuch() {
        h.startReady(2);

        h.runtime.oomKill(h.containerAt(8000));
        h.scheduler.runPending();

        assertThat(h.events(ReplicaExited.class)).singleElement().satisfies(e -> assertThat(e.oomKilled()).isTrue());
        assertThat(h.runningPorts()).containsExactly(8000, 8001);
    }

    @Test
    void aFailingStartBacksOffOneTwoFourUpToSixtySecondsAndNeverHotLoops() {
        AtomicInteger attempts = new AtomicInteger();
        h.runtime.onStart(attempts::incrementAndGet);
        h.runtime.failNextStarts(1000, "image not found");
        h.start(h.builder().initialReplicas(1));

        h.advance(Duration.ofMinutes(10));

        List<Long> retries = h.events(ReplicaStartFailed.class).stream().map(e -> e.retryIn().toSeconds()).toList();
        assertThat(retries).startsWith(1L, 2L, 4L, 8L, 16L, 32L, 60L, 60L);
        assertThat(retries.subList(6, retries.size())).containsOnly(60L);
        assertThat(attempts.get()).isLessThan(20);
        assertThat(h.replicaAt(8000).state()).isEqualTo(ReplicaState.STARTING);
        assertThat(h.replicaAt(8000).restarts()).isEqualTo(retries.size());
        assertThat(h.ports()).containsExactly(8000);
    }

    @Test
    void aStartThatSucceedsAfterFailuresBringsTheReplicaUp() {
        h.runtime.failNextStarts(2, "pull timeout");
        h.start(h.builder().initialReplicas(1));

        h.seconds(3);

        assertThat(h.runningPorts()).containsExactly(8000);
        h.seconds(2);
        assertThat(h.replicaAt(8000).state()).isEqualTo(ReplicaState.READY);
    }

    @Test
    void aReplicaThatKeepsCrashingIsRestartedAtOnceThenAfterOneTwoFourSeconds() {
        h.startReady(1);

        List<Long> gaps = new java.util.ArrayList<>();
        for (int crash = 0; crash < 4; crash++) {
            h.runtime.crash(h.containerAt(8000), 1);
            h.scheduler.runPending();
            long waited = 0;
            while (h.runningPorts().isEmpty()) {
                h.advance(Duration.ofMillis(500));
                waited += 500;
            }
            gaps.add(waited);
        }

        assertThat(gaps).containsExactly(0L, 1000L, 2000L, 4000L);
        assertThat(h.replicaAt(8000).restarts()).isEqualTo(4);
    }

    @Test
    void theBackoffIsForgottenAfterTenMinutesReady() {
        h.startReady(1);
        for (int crash = 0; crash < 3; crash++) {
            h.runtime.crash(h.containerAt(8000), 1);
            h.scheduler.runPending();
            h.seconds(5);
        }

        h.advance(Duration.ofMinutes(11));
        h.runtime.crash(h.containerAt(8000), 1);
        h.scheduler.runPending();

        assertThat(h.runningPorts()).containsExactly(8000);
        assertThat(h.events(ReplicaStarting.class).get(h.events(ReplicaStarting.class).size() - 1).reason())
                .contains("exited with code 1");
    }

    @Test
    void anExitWhileDrainingJustFinishesTheRemoval() {
        h.startReady(2);
        var lease = h.leaseOn(8001);
        h.orchestrator.scaleTo(1);
        h.scheduler.runPending();
        assertThat(h.replicaAt(8001).state()).isEqualTo(ReplicaState.DRAINING);

        h.runtime.crash(h.containerAt(8001), 1);
        h.scheduler.runPending();
        lease.fail(Lease.Failure.RESET, h.now());
        h.seconds(1);

        assertThat(h.runningPorts()).containsExactly(8000);
        assertThat(h.ports()).containsExactly(8000);
    }
}
