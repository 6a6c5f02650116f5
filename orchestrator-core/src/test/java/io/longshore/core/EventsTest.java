package io.longshore.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.longshore.api.OrchestratorEvent;
import io.longshore.api.OrchestratorEvent.ReplicaReady;
import io.longshore.api.OrchestratorEvent.ReplicaStarted;
import io.longshore.api.OrchestratorEvent.UserCodeFailed;
import io.longshore.api.ReplicaState;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventsTest {
    private final Harness h = new Harness();

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void aThrowingListenerIsSkippedAndTheOthersAndTheLoopGoOn() {
        AtomicInteger calls = new AtomicInteger();
        h.start(h.builder().initialReplicas(2)
                .listener(event -> {
                    calls.incrementAndGet();
                    throw new IllegalStateException("listener bug");
                }));
        h.seconds(2);

        assertThat(calls.get()).isEqualTo(h.events.size());
        assertThat(h.events(ReplicaReady.class)).hasSize(2);
        assertThat(h.orchestrator.replicas()).allMatch(r -> r.state() == ReplicaState.READY);
        assertThat(h.orchestrator.recentEvents(100)).anyMatch(e -> e instanceof UserCodeFailed);
    }

    @Test
    void recentEventsComeNewestFirstAndAreBounded() {
        h.startReady(3);

        List<OrchestratorEvent> recent = h.orchestrator.recentEvents(2);

        assertThat(recent).hasSize(2);
        assertThat(recent.get(0)).isSameAs(h.events.get(h.events.size() - 1));
        assertThat(h.orchestrator.recentEvents(1000)).hasSameSizeAs(h.events);
        assertThat(h.orchestrator.recentEvents(1000).get(h.events.size() - 1)).isInstanceOf(OrchestratorEvent.ReplicaStarting.class);
        assertThatThrownBy(() -> h.orchestrator.recentEvents(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theRingBufferKeepsOnlyTheNewestThousand() {
        EventLog log = new EventLog(EventLog.DEFAULT_CAPACITY, List.of(), h.clock, "acts");
        for (int i = 0; i < 1500; i++) {
            log.emit(new OrchestratorEvent.Scaled(h.clock.instant(), "acts", i, i + 1, "test"));
        }

        List<OrchestratorEvent> recent = log.recent(5000);

        assertThat(recent).hasSize(1000);
        assertThat(((OrchestratorEvent.Scaled) recent.get(0)).from()).isEqualTo(1499);
        assertThat(((OrchestratorEvent.Scaled) recent.get(999)).from()).isEqualTo(500);
    }

    @Test
    void statusAndReplicasAreSnapshotsOfTheLoopsState() {
        h.startReady(2);
        h.requests(10, 200);

        OrchestratorStatus status = h.orchestrator.status();

        assertThat(status.service()).isEqualTo("acts");
        assertThat(status.desired()).isEqualTo(2);
        assertThat(status.ready()).isEqualTo(2);
        assertThat(status.strategy()).isEqualTo("round-robin");
        assertThat(status.policy()).isEqualTo("fixed(2)");
        assertThat(h.orchestrator.replicas()).extracting(ReplicaView::requests).containsExactly(5L, 5L);
        assertThat(h.events(ReplicaStarted.class)).extracting(ReplicaStarted::port).containsExactly(8000, 8001);
        assertThatThrownBy(() -> h.orchestrator.replicas().add(null)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void startIsIdempotentAndAClosedOrchestratorCannotStart() {
        h.start(h.builder().initialReplicas(1));
        h.orchestrator.start();
        h.scheduler.runPending();
        assertThat(h.runtime.startedIds()).hasSize(1);

        h.orchestrator.close();
        assertThatThrownBy(() -> h.orchestrator.start()).isInstanceOf(IllegalStateException.class);
    }
}
