package io.longshore.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.longshore.api.LoadBalancingStrategy;
import io.longshore.api.Metric;
import io.longshore.api.OrchestratorEvent.ColdStarted;
import io.longshore.api.OrchestratorEvent.ScalingDecided;
import io.longshore.api.OrchestratorEvent.Scaled;
import io.longshore.api.ScalingPolicy;
import io.longshore.api.TargetTracking;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The waiting line in front of a real orchestrator on virtual time, with a test waiter that retries on the loop. */
class WaitingLineTest {
    private final Harness h = new Harness();
    private final List<String> served = new ArrayList<>();

    @AfterEach
    void close() {
        h.close();
    }

    private WaitingLine line(int maxLength) {
        return WaitingLine.of(h.orchestrator.router(), maxLength, Duration.ofSeconds(30)).orElseThrow();
    }

    /** A request that leases at once or waits in the line and retries when woken, as a gateway's does. */
    private final class Held implements WaitingLine.Waiter {
        final String name;
        final WaitingLine line;
        final Lease lease = h.orchestrator.router().newLease();
        WaitingLine.Ticket ticket;
        boolean refused;

        Held(String name, WaitingLine line) {
            this.name = name;
            this.line = line;
            if (!line.mustQueue() && lease.acquire(Harness.GET, null, h.now())) {
                served.add(name);
            } else if (line.mustQueue() || lease.mayWait()) {
                ticket = line.join(this, h.now());
                refused = ticket == null;
            }
        }

        @Override
        public void wake() {
            h.scheduler.execute(() -> {
                if (lease.acquire(Harness.GET, null, h.now())) {
                    ticket.served(h.now());
                    served.add(name);
                    ticket.firstByte(h.now());
                } else {
                    ticket.requeue();
                }
            });
        }

        void complete() {
            lease.complete(200, h.now());
        }
    }

    private void startAtZero(OrchestratorBuilder builder) {
        h.start(builder.minReplicas(0).initialReplicas(0).maxReplicas(5).probeInterval(Duration.ofMillis(500)).rise(1));
    }

    @Test
    void aRequestAtZeroIsHeldTheOrchestratorStartsAReplicaAtOnceAndTheRequestGoesOnceItIsReady() {
        startAtZero(h.builder().scalingInterval(Duration.ofMinutes(2)));
        WaitingLine line = line(10);

        Held first = new Held("first", line);
        h.scheduler.runPending();

        assertThat(first.ticket).isNotNull();
        assertThat(h.orchestrator.status().desired()).as("decided at once, not at the 2-minute tick").isEqualTo(1);
        assertThat(h.events(ScalingDecided.class)).singleElement()
                .satisfies(d -> assertThat(d.trigger()).isEqualTo("waiting"))
                .satisfies(d -> assertThat(d.clamps()).contains("requests waiting"));
        assertThat(served).isEmpty();
        assertThat(h.orchestrator.router().metrics().value(Metric.WAITING, Duration.ZERO)).isEqualTo(1);

        h.advance(Duration.ofMillis(500));

        assertThat(served).containsExactly("first");
        assertThat(line.length()).isZero();
        assertThat(h.events(ColdStarted.class)).singleElement()
                .satisfies(c -> assertThat(c.took()).isEqualTo(Duration.ofMillis(500)));
    }

    @Test
    void requestsHeldWhileAReplicaStartsDoNotStartMore() {
        startAtZero(h.builder().scalingPolicy(ScalingPolicy.targetTracking(1)));
        WaitingLine line = line(100);

        for (int i = 0; i < 5; i++) {
            new Held("r" + i, line);
            h.advance(Duration.ofMillis(90));
        }

        assertThat(h.orchestrator.status().desired()).isEqualTo(1);
        assertThat(h.events(Scaled.class)).hasSize(1);
        h.advance(Duration.ofMillis(100));
        assertThat(served).containsExactly("r0", "r1", "r2", "r3", "r4");
    }

    @Test
    void theLineRefusesRequestsPastItsLength() {
        startAtZero(h.builder());
        WaitingLine line = line(2);

        Held a = new Held("a", line);
        Held b = new Held("b", line);
        Held c = new Held("c", line);

        assertThat(a.ticket).isNotNull();
        assertThat(b.ticket).isNotNull();
        assertThat(c.ticket).isNull();
        assertThat(c.refused).isTrue();
        assertThat(line.length()).isEqualTo(2);
    }

    @Test
    void aRequestThatGivesUpLeavesTheLineAndTheCount() {
        startAtZero(h.builder().maxReplicas(1).scalingPolicy(context -> 0));
        WaitingLine line = line(5);
        Held gone = new Held("gone", line);
        h.scheduler.runPending();

        gone.ticket.leave(h.now());

        assertThat(line.length()).isZero();
        assertThat(gone.ticket.isWaiting()).isFalse();
        assertThat(h.orchestrator.router().metrics().value(Metric.WAITING, Duration.ZERO)).isZero();
        h.advance(Duration.ofSeconds(1));
        assertThat(served).isEmpty();
    }

    @Test
    void aColdStartWhoseEveryRequestGaveUpDoesNotDateTheNextOneFromItsStart() {
        startAtZero(h.builder().scalingInterval(Duration.ofMinutes(2)));
        WaitingLine line = line(10);
        Held gone = new Held("gone", line);
        h.scheduler.runPending();
        gone.ticket.leave(h.now());
        h.seconds(1);
        h.orchestrator.scaleTo(0);
        h.seconds(60);
        assertThat(h.ports()).isEmpty();

        new Held("later", line);
        h.scheduler.runPending();
        h.advance(Duration.ofMillis(500));

        assertThat(served).containsExactly("later");
        assertThat(h.events(ColdStarted.class)).singleElement()
                .satisfies(c -> assertThat(c.took()).isEqualTo(Duration.ofMillis(500)));
    }

    @Test
    void beyondTheContainerConcurrencyRequestsWaitAndGoInOrderAsRoomFrees() {
        h.start(h.builder().initialReplicas(1).containerConcurrency(2));
        h.seconds(2);
        WaitingLine line = line(10);

        Held a = new Held("a", line);
        Held b = new Held("b", line);
        Held c = new Held("c", line);
        Held d = new Held("d", line);
        assertThat(served).containsExactly("a", "b");
        assertThat(c.lease.mayWait()).isTrue();
        assertThat(line.length()).isEqualTo(2);

        b.complete();
        h.scheduler.runPending();
        assertThat(served).containsExactly("a", "b", "c");

        Held e = new Held("e", line);
        a.complete();
        h.scheduler.runPending();
        assertThat(served).as("a new request waits behind those already waiting").containsExactly("a", "b", "c", "d");
        assertThat(e.ticket).isNotNull();
        assertThat(h.orchestrator.router().routable().get(0).inFlight()).isEqualTo(2);
    }

    @Test
    void aStrategyThatRoutesNowhereIsNotAReasonToWait() {
        h.start(h.builder().initialReplicas(1).strategy((candidates, request) -> LoadBalancingStrategy.NONE));
        h.seconds(2);
        Lease lease = h.orchestrator.router().newLease();

        assertThat(lease.acquire(Harness.GET, null, h.now())).isFalse();
        assertThat(lease.mayWait()).isFalse();
    }

    @Test
    void idleForTheIdlePeriodTheServiceGoesToZeroAndComesBackForTheNextRequest() {
        startAtZero(h.builder().scalingPolicy(ScalingPolicy.targetTracking(TargetTracking.builder()
                .idle(Duration.ofSeconds(30)).build())));
        WaitingLine line = line(10);
        Held first = new Held("first", line);
        h.seconds(1);
        first.complete();
        assertThat(h.ports()).hasSize(1);

        h.seconds(29);
        assertThat(h.orchestrator.status().desired()).isEqualTo(1);
        h.seconds(2);

        assertThat(h.orchestrator.status().desired()).isZero();
        assertThat(h.orchestrator.status().lastDecision()).hasValueSatisfying(d -> assertThat(d.mode()).isEqualTo("IDLE"));
        h.seconds(1);
        assertThat(h.ports()).isEmpty();

        new Held("second", line);
        h.seconds(1);
        assertThat(served).containsExactly("first", "second");
        assertThat(h.events(ColdStarted.class)).hasSize(2);
    }

    @Test
    void everyDecisionReachesTheListenersButOnlyChangesStayInTheRecentEvents() {
        h.start(h.builder().initialReplicas(2).maxReplicas(5).scalingPolicy(ScalingPolicy.targetTracking(1)));
        h.seconds(2);
        h.requests(1, 200);

        h.seconds(20);

        List<ScalingDecided> decisions = h.events(ScalingDecided.class);
        assertThat(decisions).hasSizeGreaterThanOrEqualTo(10);
        assertThat(h.orchestrator.recentEvents(1000)).filteredOn(ScalingDecided.class::isInstance)
                .hasSizeLessThan(decisions.size());
        assertThat(h.orchestrator.status().lastDecision()).hasValueSatisfying(d -> {
            assertThat(d.metric()).isEqualTo("concurrency");
            assertThat(d.trigger()).isEqualTo("tick");
            assertThat(d.window()).isEqualTo(Duration.ofSeconds(60));
        });
    }
}
