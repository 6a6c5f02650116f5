package io.longshore.jetty.internal.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.longshore.api.OrchestratorEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceHistoryTest {
    private static final Instant T0 = Instant.parse("2026-01-02T03:04:05Z");

    private final ServiceHistory history = new ServiceHistory();

    @SuppressWarnings("unchecked")
    private static List<Integer> ints(Map<String, Object> json, String key) {
        return (List<Integer>) json.get(key);
    }

    @Test
    void beforeTheFirstSampleTheHistoryIsEmpty() {
        Map<String, Object> json = history.toJson(T0);

        assertThat(json.get("end")).isNull();
        assertThat(ints(json, "desired")).isEmpty();
        assertThat(json.get("stepMillis")).isEqualTo(1000);
    }

    @Test
    void keepsOneSampleASecondTheLatestOfEachSecond() {
        history.sample(T0, 1, 0);
        history.sample(T0.plusMillis(500), 1, 1);
        history.sample(T0.plusMillis(1000), 3, 1);
        history.sample(T0.plusMillis(1500), 3, 2);

        Map<String, Object> json = history.toJson(T0.plusSeconds(2));

        assertThat(json.get("end")).isEqualTo("2026-01-02T03:04:06Z");
        assertThat(ints(json, "desired")).containsExactly(1, 3);
        assertThat(ints(json, "ready")).containsExactly(1, 2);
    }

    @Test
    void aSecondWithoutASampleRepeatsTheOneBefore() {
        history.sample(T0, 2, 2);
        history.sample(T0.plusSeconds(3), 4, 3);

        Map<String, Object> json = history.toJson(T0.plusSeconds(3));

        assertThat(ints(json, "desired")).containsExactly(2, 2, 2, 4);
        assertThat(ints(json, "ready")).containsExactly(2, 2, 2, 3);
    }

    @Test
    void reachesBackTenMinutesAndNoFurther() {
        int seconds = (int) ServiceHistory.SPAN.toSeconds();
        for (int s = 0; s < seconds + 30; s++) {
            history.sample(T0.plusSeconds(s), s, s);
        }

        List<Integer> desired = ints(history.toJson(T0.plusSeconds(seconds + 29)), "desired");

        assertThat(desired).hasSize(seconds);
        assertThat(desired.get(0)).isEqualTo(30);
        assertThat(desired.get(seconds - 1)).isEqualTo(seconds + 29);
    }

    @Test
    void aLongGapLeavesOnlyTheSpanOfRepeatedSamples() {
        history.sample(T0, 1, 1);
        history.sample(T0.plusSeconds(3600), 5, 5);

        List<Integer> desired = ints(history.toJson(T0.plusSeconds(3600)), "desired");

        assertThat(desired).hasSize((int) ServiceHistory.SPAN.toSeconds());
        assertThat(desired.get(desired.size() - 1)).isEqualTo(5);
        assertThat(desired.get(0)).isEqualTo(1);
    }

    @Test
    void scalingDecisionsAreTakenOnceEachOldestFirstWithTheirReasons() {
        var first = new OrchestratorEvent.Scaled(T0, "acts", 1, 2, "42 requests in 2m");
        var started = new OrchestratorEvent.ReplicaStarted(T0.plusSeconds(1), "acts", "acts-8001-2", "c1", 8001);
        var second = new OrchestratorEvent.Scaled(T0.plusSeconds(2), "acts", 2, 3, "scaled to 3 by request");
        history.scalings(List.of(started, first));
        history.scalings(List.of(second, started, first));

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> marks = (List<Map<String, Object>>) history.toJson(T0.plusSeconds(3)).get("scalings");

        assertThat(marks).extracting(m -> m.get("reason")).containsExactly("42 requests in 2m", "scaled to 3 by request");
        assertThat(marks.get(1)).containsEntry("at", "2026-01-02T03:04:07Z").containsEntry("from", 2).containsEntry("to", 3);
    }

    @Test
    void decisionsOlderThanTheSpanAreNotShown() {
        history.scalings(List.of(new OrchestratorEvent.Scaled(T0, "acts", 1, 2, "old")));

        Object marks = history.toJson(T0.plus(ServiceHistory.SPAN).plusSeconds(1)).get("scalings");

        assertThat((List<?>) marks).isEmpty();
    }
}
