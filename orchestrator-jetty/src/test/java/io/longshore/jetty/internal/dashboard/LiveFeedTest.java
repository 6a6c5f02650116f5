package io.longshore.jetty.internal.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.longshore.api.Backend;
import io.longshore.api.OrchestratorEvent;
import io.longshore.api.ReplicaState;
import io.longshore.core.OrchestratorStatus;
import io.longshore.core.ReplicaView;
import io.longshore.jetty.internal.metrics.GatewayMetrics;
import io.longshore.jetty.internal.metrics.ServiceMetrics;
import io.longshore.jetty.internal.metrics.StubBackend;
import io.longshore.jetty.internal.routing.ServiceView;
import io.longshore.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Frames of the live feed on virtual time. */
class LiveFeedTest {
    private static final Instant T0 = Instant.parse("2026-01-02T03:04:05Z");

    private final ManualClock clock = new ManualClock(T0);
    private final GatewayMetrics metrics = new GatewayMetrics();
    private final ServiceMetrics actsMetrics = metrics.service("acts");
    private final ScriptedView acts = new ScriptedView("acts");

    private LiveFeed feed(ServiceView... views) {
        List<LiveService> services = java.util.Arrays.stream(views)
                .map(v -> new LiveService("/", v, metrics.service(v.service()))).toList();
        return new LiveFeed(services, clock, new ObjectMapper());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> frame(Map<String, Object> snapshot, int index) {
        return ((List<Map<String, Object>>) snapshot.get("services")).get(index);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> history(Map<String, Object> frame) {
        return (Map<String, Object>) frame.get("history");
    }

    @Test
    void eachFrameAddsTheDesiredAndReadyCountsOfItsSecondToTheHistory() {
        LiveFeed feed = feed(acts);
        acts.desired = 1;
        acts.ready = 0;
        feed.capture();
        clock.advance(Duration.ofSeconds(1));
        acts.desired = 3;
        acts.ready = 1;

        Map<String, Object> snapshot = feed.capture();

        assertThat(snapshot.get("time")).isEqualTo("2026-01-02T03:04:06Z");
        Map<String, Object> history = history(frame(snapshot, 0));
        assertThat(history.get("desired")).isEqualTo(List.of(1, 3));
        assertThat(history.get("ready")).isEqualTo(List.of(0, 1));
    }

    @Test
    void withNoStreamOpenATickRecordsTheHistoryButShapesNoFrame() {
        LiveFeed feed = feed(acts);
        acts.desired = 1;
        feed.tick();
        clock.advance(Duration.ofSeconds(1));
        acts.desired = 3;
        feed.tick();

        assertThat(feed.latest()).isNull();
        clock.advance(Duration.ofSeconds(1));
        Map<String, Object> history = history(frame(feed.capture(), 0));
        assertThat(history.get("desired")).isEqualTo(List.of(1, 3, 3));
    }

    @Test
    void aScalingDecisionAppearsOnceWithItsReason() {
        LiveFeed feed = feed(acts);
        acts.events = List.of(new OrchestratorEvent.Scaled(T0, "acts", 1, 3, "scaled to 3 by request"));
        feed.capture();
        clock.advance(Duration.ofSeconds(1));

        Map<String, Object> history = history(frame(feed.capture(), 0));

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> marks = (List<Map<String, Object>>) history.get("scalings");
        assertThat(marks).singleElement().satisfies(mark -> assertThat(mark)
                .containsEntry("reason", "scaled to 3 by request").containsEntry("to", 3));
    }

    @Test
    void aReplicasLoadIsReadFromTheGatewaysWindowsAtTheClocksTime() {
        LiveFeed feed = feed(acts);
        actsMetrics.trackLoad(true);
        acts.replicas = List.of(new ReplicaView("acts-8000-1", "c0", 8000, ReplicaState.READY, true, 0, 0, T0, 0));
        Backend backend = new StubBackend("acts-8000-1");
        for (int i = 0; i < 50; i++) {
            actsMetrics.outcome(backend, 200, clock.nanoTime(), Duration.ofMillis(8).toNanos());
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> replica = ((List<Map<String, Object>>) frame(feed.capture(), 0).get("replicas")).get(0);

        assertThat((Double) replica.get("requestsPerSecond")).isGreaterThan(0.0);
        assertThat((Double) replica.get("p50Ms")).isBetween(7.0, 9.0);
        clock.advance(Duration.ofSeconds(30));
        @SuppressWarnings("unchecked")
        Map<String, Object> later = ((List<Map<String, Object>>) frame(feed.capture(), 0).get("replicas")).get(0);
        assertThat(later.get("requestsPerSecond")).isEqualTo(0.0);
        assertThat(later.get("p50Ms")).isNull();
    }

    @Test
    void aServiceWhoseViewThrowsShowsItsErrorAndTheOthersStillShow() {
        ScriptedView broken = new ScriptedView("broken");
        broken.failure = new IllegalStateException("status unavailable");
        LiveFeed feed = feed(broken, acts);

        Map<String, Object> snapshot = feed.capture();

        assertThat(frame(snapshot, 0)).containsEntry("service", "broken").containsEntry("error", "status unavailable");
        assertThat(frame(snapshot, 1)).containsEntry("service", "acts").containsKey("replicas");
    }

    /** A view whose answers the test sets. */
    private static final class ScriptedView implements ServiceView {
        private final String name;
        volatile int desired = 1;
        volatile int ready = 1;
        volatile List<ReplicaView> replicas = List.of();
        volatile List<OrchestratorEvent> events = List.of();
        volatile RuntimeException failure;

        ScriptedView(String name) {
            this.name = name;
        }

        @Override
        public String service() {
            return name;
        }

        @Override
        public List<ReplicaView> replicas() {
            return replicas;
        }

        @Override
        public OrchestratorStatus status() {
            if (failure != null) {
                throw failure;
            }
            return new OrchestratorStatus(name, desired, ready, 0, 5, "round-robin", "fixed(1)", Optional.empty());
        }

        @Override
        public OptionalInt scaleTo(int replicas) {
            return OptionalInt.of(replicas);
        }

        @Override
        public List<OrchestratorEvent> recentEvents(int limit) {
            return events.subList(0, Math.min(limit, events.size()));
        }
    }
}
