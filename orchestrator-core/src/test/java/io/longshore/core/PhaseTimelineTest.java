package io.longshore.core;

import static io.longshore.core.ReplicaPhase.BACKOFF;
import static io.longshore.core.ReplicaPhase.EJECTED;
import static io.longshore.core.ReplicaPhase.LAUNCHING;
import static io.longshore.core.ReplicaPhase.NEW;
import static io.longshore.core.ReplicaPhase.READY;
import static io.longshore.core.ReplicaPhase.STARTING;
import static io.longshore.core.ReplicaPhase.STOPPING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PhaseTimelineTest {
    private final StubPort port = new StubPort();
    private final PhaseTimeline timeline = new PhaseTimeline("svc-1", port);

    @Test
    void aMoveOffTheTableOrFromOutsideTheNamedStatesThrowsNamingTheReplicaFromAndTo() {
        assertThatThrownBy(() -> timeline.move(READY)).isInstanceOf(IllegalStateException.class)
                .hasMessage("replica svc-1: illegal transition from NEW to READY");
        timeline.move(LAUNCHING, NEW, BACKOFF);

        assertThatThrownBy(() -> timeline.move(BACKOFF, NEW)).as("the table allows it, the named states do not")
                .hasMessage("replica svc-1: illegal transition from LAUNCHING to BACKOFF");
        assertThat(timeline.phase()).isEqualTo(LAUNCHING);
        assertThatThrownBy(() -> timeline.require(STOPPING)).hasMessage("replica svc-1 must be STOPPING, is LAUNCHING");
    }

    @Test
    void theStartGraceHoldsUntilItsEndOrReadinessAndTheLatestStretchOfReadinessIsKept() {
        timeline.move(LAUNCHING);
        timeline.move(STARTING);
        timeline.graceUntil(port.nanos() + Duration.ofSeconds(10).toNanos());
        assertThat(timeline.inStartGrace(port.nanos())).isTrue();
        assertThat(timeline.readyForNanos(port.nanos())).isZero();
        assertThat(timeline.readySinceNanos()).isEqualTo(Long.MIN_VALUE);
        port.clock.advance(Duration.ofSeconds(2));

        timeline.move(READY);
        long since = port.nanos();
        port.clock.advance(Duration.ofSeconds(3));

        assertThat(timeline.inStartGrace(port.nanos())).as("once ready, failed probes count").isFalse();
        assertThat(timeline.readyForNanos(port.nanos())).isEqualTo(Duration.ofSeconds(3).toNanos());
        timeline.move(EJECTED);
        port.clock.advance(Duration.ofSeconds(4));
        assertThat(timeline.readyForNanos(port.nanos())).as("the stretch ended with the ejection")
                .isEqualTo(Duration.ofSeconds(3).toNanos());
        assertThat(timeline.readySinceNanos()).isEqualTo(since);
    }
}
