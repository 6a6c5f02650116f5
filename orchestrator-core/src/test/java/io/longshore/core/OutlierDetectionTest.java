package io.longshore.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.longshore.api.OrchestratorEvent.ReplicaEjected;
import io.longshore.api.OrchestratorEvent.ReplicaReadmitted;
import io.longshore.api.ReplicaState;
import io.longshore.testkit.ScriptedProbe;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OutlierDetectionTest {
    private final Harness h = new Harness();

    @AfterEach
    void close() {
        h.close();
    }

    /** Routes round robin and fails every request that lands on {@code port} with {@code status}. */
    private void traffic(int requests, int port, int status) {
        for (int i = 0; i < requests; i++) {
            Lease lease = h.lease();
            lease.complete(lease.backend().endpoint().port() == port ? status : 200, h.now());
        }
        h.scheduler.runPending();
    }

    @Test
    void fiveFailedRequestsInARowEjectForThirtySecondsThenReadmit() {
        h.startReady(4);

        traffic(20, 8001, 503);

        assertThat(h.routablePorts()).containsExactly(8000, 8002, 8003);
        assertThat(h.replicaAt(8001).state()).isEqualTo(ReplicaState.UNHEALTHY);
        assertThat(h.events(ReplicaEjected.class)).singleElement()
                .satisfies(e -> assertThat(e.duration()).isEqualTo(Duration.ofSeconds(30)));

        h.seconds(29);
        assertThat(h.routablePorts()).doesNotContain(8001);
        h.seconds(1);
        assertThat(h.routablePorts()).containsExactly(8000, 8001, 8002, 8003);
        assertThat(h.events(ReplicaReadmitted.class)).hasSize(1);
    }

    @Test
    void eachEjectionLastsBaseTimesItsNumberUpToTheCap() {
        h.start(h.builder().initialReplicas(4).outlierDetection(
                new OutlierDetection(true, 5, Duration.ofSeconds(30), Duration.ofSeconds(70), 50, 50)));
        h.seconds(2);

        for (int round = 0; round < 4; round++) {
            traffic(20, 8001, 500);
            h.advance(Duration.ofMinutes(2));
        }

        assertThat(h.events(ReplicaEjected.class)).extracting(e -> e.duration().toSeconds())
                .containsExactly(30L, 60L, 70L, 70L);
    }

    @Test
    void connectFailuresCountButCancelledRequestsDoNot() {
        h.startReady(4);

        for (int i = 0; i < 40; i++) {
            Lease lease = h.lease();
            int port = lease.backend().endpoint().port();
            if (port == 8000) {
                lease.fail(Lease.Failure.CANCELLED, h.now());
            } else if (port == 8002) {
                lease.fail(Lease.Failure.CONNECT, h.now());
            } else {
                lease.complete(200, h.now());
            }
        }
        h.scheduler.runPending();

        assertThat(h.routablePorts()).containsExactly(8000, 8001, 8003);
    }

    @Test
    void neverMoreThanTheMaximumShareIsEjected() {
        h.startReady(4);

        for (int i = 0; i < 40; i++) {
            Lease lease = h.lease();
            lease.complete(lease.backend().endpoint().port() == 8000 ? 200 : 500, h.now());
        }
        h.scheduler.runPending();

        assertThat(h.events(ReplicaEjected.class)).hasSize(2);
        assertThat(h.routablePorts()).hasSize(2).contains(8000);
    }

    @Test
    void disabledOutlierDetectionNeverEjects() {
        h.start(h.builder().initialReplicas(3).outlierDetection(OutlierDetection.disabled()));
        h.seconds(2);

        traffic(60, 8001, 500);

        assertThat(h.routablePorts()).containsExactly(8000, 8001, 8002);
    }

    @Test
    void belowThePanicThresholdEveryReplicaInServiceIsRouted() {
        h.startReady(4);
        h.probe.set(8001, ScriptedProbe.Answer.FAIL);
        h.probe.set(8002, ScriptedProbe.Answer.FAIL);
        h.seconds(1);
        assertThat(h.routablePorts()).containsExactly(8000, 8003);

        h.probe.set(8003, ScriptedProbe.Answer.FAIL);
        h.seconds(1);

        assertThat(h.routablePorts()).containsExactly(8000, 8001, 8002, 8003);
    }

    @Test
    void panicModeNeverRoutesToReplicasThatWereNeverReady() {
        h.probe.set(8000, ScriptedProbe.Answer.FAIL);
        h.start(h.builder().initialReplicas(1).startGracePeriod(Duration.ofSeconds(30)));

        h.seconds(5);

        assertThat(h.routablePorts()).isEmpty();
        assertThat(h.orchestrator.router().newLease().acquire(Harness.GET, null, h.now())).isFalse();
    }

    /** The router reports an outlier when its streak reaches the threshold: a recovery must start it over. */
    @Test
    void aReplicaEjectedThenFailedByAProbeAndRecoveredIsEjectedAgainWhenItsRequestsFailAgain() {
        h.startReady(4);
        traffic(20, 8001, 503);
        assertThat(h.events(ReplicaEjected.class)).hasSize(1);
        h.probe.set(8001, ScriptedProbe.Answer.FAIL);
        h.seconds(1);                                   // EJECTED -> UNHEALTHY: the ejection's readmission is skipped
        h.probe.set(8001, ScriptedProbe.Answer.PASS);
        h.seconds(2);                                   // rise 2: READY again
        assertThat(h.routablePorts()).contains(8001);
        int before = h.events(ReplicaEjected.class).size();

        traffic(40, 8001, 503);                         // 10 failed requests in a row on 8001

        assertThat(h.events(ReplicaEjected.class)).hasSize(before + 1).last()
                .satisfies(e -> assertThat(e.reason()).isEqualTo("5 failed requests in a row"));
        assertThat(h.routablePorts()).doesNotContain(8001);
    }
}
