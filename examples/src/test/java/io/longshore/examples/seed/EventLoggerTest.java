package io.longshore.examples.seed;

import static org.assertj.core.api.Assertions.assertThat;

import io.longshore.api.OrchestratorEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventLoggerTest {
    private static final Instant AT = Instant.parse("2019-04-27T10:00:00Z");

    @Test
    void aReplicaEventIsOneLineWithItsTypeAndFieldsButNotItsTime() {
        String line = EventLogger.describe(
                new OrchestratorEvent.ReplicaStarted(AT, "acts", "acts-1", "pid-42", 8000));

        assertThat(line).isEqualTo("ReplicaStarted service=acts replicaId=acts-1 containerId=pid-42 port=8000");
    }

    @Test
    void aScalingEventCarriesItsCountsAndReason() {
        String line = EventLogger.describe(new OrchestratorEvent.Scaled(AT, "acts", 1, 2, "20 requests"));

        assertThat(line).isEqualTo("Scaled service=acts from=1 to=2 reason=20 requests");
    }

    @Test
    void everyEventGoesToTheSinkAsOneLine() {
        List<String> lines = new ArrayList<>();
        EventLogger logger = new EventLogger(lines::add);

        logger.onEvent(new OrchestratorEvent.ReplicaReady(AT, "acts", "acts-1", "pid-42", 8000));
        logger.onEvent(new OrchestratorEvent.ReplicaStopped(AT, "acts", "acts-1", "pid-42", 8000, "scale-in"));

        assertThat(lines).hasSize(2).noneMatch(line -> line.contains("\n"));
        assertThat(lines.get(1)).startsWith("ReplicaStopped").endsWith("reason=scale-in");
    }

    @Test
    void aScalingDecisionIsLoggedOnlyWhenItChangesTheCount() {
        List<String> lines = new ArrayList<>();
        EventLogger logger = new EventLogger(lines::add);

        logger.onEvent(decided(2, 2));
        logger.onEvent(decided(2, 4));

        assertThat(lines).singleElement().satisfies(line -> assertThat(line)
                .startsWith("ScalingDecided service=acts").contains("from=2 to=4", "mode=BURST", "observed=37.5"));
    }

    private static OrchestratorEvent.ScalingDecided decided(int from, int to) {
        return new OrchestratorEvent.ScalingDecided(AT, "acts", "target-tracking", "tick", from, to, "concurrency",
                37.5, 10, java.time.Duration.ofSeconds(6), "BURST", to, List.of());
    }
}
