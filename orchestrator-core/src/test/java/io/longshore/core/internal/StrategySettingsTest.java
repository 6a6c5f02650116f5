package io.longshore.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.longshore.api.Backend;
import io.longshore.api.LoadBalancingStrategy;
import io.longshore.api.RouteRequest;
import io.longshore.testkit.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StrategySettingsTest {
    private final List<String> reported = new ArrayList<>();
    private final FailureReporter failures = new FailureReporter(new ManualClock(), Duration.ZERO,
            (component, error) -> reported.add(component + ": " + error));

    @Test
    void aDecayOfZeroAndACookieNameThatIsNoTokenAreReportedAndGetTheDefaults() {
        LoadBalancingStrategy odd = new LoadBalancingStrategy() {
            @Override
            public int choose(List<Backend> candidates, RouteRequest request) {
                return 0;
            }

            @Override
            public Duration latencyDecay() {
                return Duration.ZERO;
            }

            @Override
            public Optional<String> stickyCookie() {
                return Optional.of("lb id");
            }

            @Override
            public String toString() {
                return "odd";
            }
        };

        StrategySettings settings = StrategySettings.of(odd, failures);

        assertThat(settings.latencyDecayNanos()).isEqualTo(LoadBalancingStrategy.DEFAULT_LATENCY_DECAY.toNanos());
        assertThat(settings.stickyCookie()).isEmpty();
        assertThat(reported).hasSize(2).allSatisfy(report -> assertThat(report).startsWith("strategy odd: "));
        assertThat(reported.get(0)).contains("latencyDecay() answered PT0S");
        assertThat(reported.get(1)).contains("stickyCookie()").contains("no sticky cookie is set");
    }

    @Test
    void aStrategysOwnDecayAndCookieAreTaken() {
        StrategySettings peakEwma = StrategySettings.of(LoadBalancingStrategy.peakEwma(new SplittableRandom(1),
                Duration.ofSeconds(5)), failures);
        StrategySettings sticky = StrategySettings.of(LoadBalancingStrategy.stickySessions("lb",
                LoadBalancingStrategy.roundRobin()), failures);

        assertThat(peakEwma.latencyDecayNanos()).isEqualTo(5e9);
        assertThat(peakEwma.stickyCookie()).isEmpty();
        assertThat(sticky.stickyCookie()).contains("lb");
        assertThat(reported).isEmpty();
    }
}
