package io.longshore.examples.seed;

import static org.assertj.core.api.Assertions.assertThat;

import io.longshore.api.ContainerInfo;
import io.longshore.api.ContainerRuntime;
import io.longshore.api.ContainerSpec;
import io.longshore.api.Endpoint;
import io.longshore.api.ResourceStats;
import io.longshore.api.RuntimeEvent;
import io.longshore.testkit.FakeContainerRuntime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class WithoutStatsTest {
    private final FakeContainerRuntime fake = new FakeContainerRuntime();
    private final ContainerRuntime runtime = new WithoutStats(fake);
    private final ContainerSpec spec = ContainerSpec.builder("acts").command("acts").build();

    @Test
    void startStopListAndWatchReachTheDelegate() throws Exception {
        List<RuntimeEvent> events = new ArrayList<>();
        try (AutoCloseable watch = runtime.watch(events::add)) {
            ContainerInfo started = runtime.start(spec, Endpoint.loopback(24500), Map.of("a", "b"));
            ContainerInfo other = runtime.start(spec, Endpoint.loopback(24501), Map.of());

            assertThat(runtime.list(Map.of("a", "b"))).extracting(ContainerInfo::id).containsExactly(started.id());
            fake.crash(other.id(), 1);
            runtime.stop(started.id(), Duration.ZERO);

            assertThat(fake.stoppedIds()).contains(started.id());
            assertThat(events).extracting(RuntimeEvent::containerId).containsExactly(other.id());
        }
        assertThat(runtime.name()).isEqualTo(fake.name());
    }

    @Test
    void itNeverReportsStatsEvenWhenTheDelegateCould() {
        ContainerRuntime measured = new WithoutStats(new Measured(fake));
        ContainerInfo started = measured.start(spec, Endpoint.loopback(24502), Map.of());

        assertThat(new Measured(fake).stats(started.id())).isPresent();
        assertThat(measured.stats(started.id())).isEmpty();
        assertThat(measured.toString()).endsWith("(without stats)");
    }

    /** A runtime that always has stats, over the fake. */
    private static final class Measured implements ContainerRuntime {
        private final ContainerRuntime fake;

        Measured(ContainerRuntime fake) {
            this.fake = fake;
        }

        @Override
        public ContainerInfo start(ContainerSpec spec, Endpoint endpoint, Map<String, String> labels) {
            return fake.start(spec, endpoint, labels);
        }

        @Override
        public void stop(String containerId, Duration grace) {
            fake.stop(containerId, grace);
        }

        @Override
        public List<ContainerInfo> list(Map<String, String> labels) {
            return fake.list(labels);
        }

        @Override
        public AutoCloseable watch(Consumer<RuntimeEvent> listener) {
            return fake.watch(listener);
        }

        @Override
        public Optional<ResourceStats> stats(String containerId) {
            return Optional.of(new ResourceStats(42, 1024, 0));
        }

        @Override
        public String name() {
            return "measured";
        }
    }
}
