package io.longshore.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.longshore.api.LoadMetrics;
import io.longshore.api.Metric;
import io.longshore.api.ScalingContext;
import io.longshore.api.ScalingPolicy;
import io.longshore.api.ScalingRule;
import io.longshore.api.ScalingRule.Action;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RulePolicyTest {
    private static final Instant NOW = Instant.parse("2019-04-27T12:00:00Z");
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private static ScalingContext context(int current, Map<Metric, Double> values, Optional<Instant> lastScaled) {
        LoadMetrics metrics = (metric, window) -> values.getOrDefault(metric, Double.NaN);
        return new ScalingContext(current, current, 1, 20, NOW, lastScaled, Optional.of(NOW), metrics);
    }

    private static ScalingRule out(Metric metric, double threshold, double factor) {
        return new ScalingRule(metric, MINUTE, threshold, Action.SCALE_OUT, factor, Duration.ofMinutes(5));
    }

    private static ScalingRule in(Metric metric, double threshold, double factor) {
        return new ScalingRule(metric, MINUTE, threshold, Action.SCALE_IN, factor, Duration.ofMinutes(5));
    }

    @Test
    void aScaleOutRuleMultipliesTheCountAndAddsAtLeastOne() {
        ScalingPolicy policy = ScalingPolicy.rules(List.of(out(Metric.CPU_PERCENT, 70, 1.5)));

        assertThat(policy.decide(context(4, Map.of(Metric.CPU_PERCENT, 90.0), Optional.empty()))).isEqualTo(6);
        assertThat(policy.decide(context(1, Map.of(Metric.CPU_PERCENT, 90.0), Optional.empty()))).isEqualTo(2);
        assertThat(policy.decide(context(4, Map.of(Metric.CPU_PERCENT, 50.0), Optional.empty()))).isEqualTo(4);
    }

    @Test
    void aScaleInRuleDividesTheCountAndRemovesAtLeastOne() {
        ScalingPolicy policy = ScalingPolicy.rules(List.of(in(Metric.REQUEST_RATE, 1, 2)));

        assertThat(policy.decide(context(8, Map.of(Metric.REQUEST_RATE, 0.5), Optional.empty()))).isEqualTo(4);
        assertThat(policy.decide(context(3, Map.of(Metric.REQUEST_RATE, 0.5), Optional.empty()))).isEqualTo(1);
        assertThat(policy.decide(context(8, Map.of(Metric.REQUEST_RATE, 5.0), Optional.empty()))).isEqualTo(8);
    }

    @Test
    void whenRulesDisagreeScaleOutWins() {
        ScalingPolicy policy = ScalingPolicy.rules(List.of(
                in(Metric.REQUEST_RATE, 10, 2), out(Metric.LATENCY_MS, 200, 2), out(Metric.IN_FLIGHT, 50, 3)));

        int decided = policy.decide(context(2, Map.of(Metric.REQUEST_RATE, 1.0, Metric.LATENCY_MS, 500.0,
                Metric.IN_FLIGHT, 100.0), Optional.empty()));

        assertThat(decided).isEqualTo(6);
    }

    @Test
    void aRuleWaitsForItsCooldownSinceTheLastChange() {
        ScalingPolicy policy = ScalingPolicy.rules(List.of(out(Metric.CPU_PERCENT, 70, 2)));
        Map<Metric, Double> hot = Map.of(Metric.CPU_PERCENT, 95.0);

        assertThat(policy.decide(context(2, hot, Optional.of(NOW.minus(Duration.ofMinutes(4)))))).isEqualTo(2);
        assertThat(policy.decide(context(2, hot, Optional.of(NOW.minus(Duration.ofMinutes(5)))))).isEqualTo(4);
    }

    @Test
    void anUnknownMetricValueNeverFires() {
        ScalingPolicy policy = ScalingPolicy.rules(List.of(out(Metric.CPU_PERCENT, 70, 2), in(Metric.CPU_PERCENT, 10, 2)));

        assertThat(policy.decide(context(3, Map.of(), Optional.empty()))).isEqualTo(3);
    }

    @Test
    void badRulesAreRejectedWithClearMessages() {
        assertThatThrownBy(() -> ScalingPolicy.rules(List.of())).hasMessageContaining("rules must not be empty");
        assertThatThrownBy(() -> out(Metric.CPU_PERCENT, 70, 1.0)).hasMessageContaining("factor must be > 1");
        assertThatThrownBy(() -> new ScalingRule(Metric.CPU_PERCENT, MINUTE.negated(), 1, Action.SCALE_IN, 2,
                Duration.ZERO)).hasMessageContaining("window");
    }
}
