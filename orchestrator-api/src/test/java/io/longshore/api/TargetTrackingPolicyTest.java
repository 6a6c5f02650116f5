package io.longshore.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.longshore.api.ScalingDecision.Mode;
import io.longshore.api.TargetTracking.TrackedMetric;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Each rule of target tracking on virtual time: the test sets the load figures each window shows
 * and the time of each decision, and reads the decision with its inputs.
 */
class TargetTrackingPolicyTest {
    private static final Duration STABLE = TargetTracking.DEFAULT_STABLE_WINDOW;
    private static final Duration BURST = TargetTracking.DEFAULT_BURST_WINDOW;
    private static final Duration LAST_SECOND = Duration.ofSeconds(1);

    private final Load load = new Load();
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private Optional<Instant> lastScaled = Optional.empty();
    private int current = 1;
    private int ready = 1;
    private int min = 1;
    private int max = 100;

    /** Concurrency the same over every window, nothing waiting, no latency known. */
    private void concurrency(double value) {
        load.everyWindow(Metric.CONCURRENCY, value);
    }

    /** Decides after {@code seconds} more, and applies the decision as the orchestrator would. */
    private ScalingDecision after(ScalingPolicy policy, long seconds) {
        now = now.plusSeconds(seconds);
        ScalingDecision decision = policy.decision(new ScalingContext(current, ready, min, max, now, lastScaled,
                Optional.of(now), load));
        if (decision.replicas() != current) {
            lastScaled = Optional.of(now);
            current = decision.replicas();
            ready = current;
        }
        return decision;
    }

    private static ScalingPolicy policy(TargetTracking.Builder settings) {
        return ScalingPolicy.targetTracking(settings.build()).newInstance();
    }

    private static TargetTracking.Builder settings() {
        return TargetTracking.builder().target(10);
    }

    @Test
    void desiredIsTheObservedTotalOverTheTargetRoundedUp() {
        current = ready = 3;
        ScalingPolicy policy = policy(settings());
        concurrency(41);

        ScalingDecision decision = after(policy, 2);

        assertThat(decision.replicas()).isEqualTo(5);
        assertThat(decision.recommendation()).isEqualTo(5);
        assertThat(decision.observed()).isEqualTo(41);
        assertThat(decision.target()).isEqualTo(10);
        assertThat(decision.metric()).isEqualTo("concurrency");
        assertThat(decision.window()).isEqualTo(STABLE);
    }

    @Test
    void utilisationLowersTheTargetEachReplicaAimsAt() {
        ScalingPolicy policy = policy(settings().utilisation(0.7));
        concurrency(50);

        assertThat(after(policy, 2).replicas()).isEqualTo(8);
    }

    @Test
    void withinTheToleranceTheCountStays() {
        current = ready = 4;
        ScalingPolicy policy = policy(settings().scaleDownStabilization(Duration.ZERO));
        concurrency(43.9);
        ScalingDecision within = after(policy, 2);
        concurrency(44.5);
        ScalingDecision beyond = after(policy, 2);

        assertThat(within.replicas()).isEqualTo(4);
        assertThat(within.recommendation()).isEqualTo(5);
        assertThat(within.clamps()).containsExactly("tolerance");
        assertThat(beyond.replicas()).isEqualTo(5);
        concurrency(45.5);
        assertThat(after(policy, 2).replicas()).as("45.5 is within 10 %% of 5 x 10").isEqualTo(5);
    }

    @Test
    void theStableWindowDecidesWhileTheBurstWindowStaysBelowTheThreshold() {
        current = ready = 2;
        ScalingPolicy policy = policy(settings());
        load.set(Metric.CONCURRENCY, STABLE, 30);
        load.set(Metric.CONCURRENCY, BURST, 35);
        load.set(Metric.CONCURRENCY, LAST_SECOND, 39);

        ScalingDecision decision = after(policy, 2);

        assertThat(decision.mode()).isEqualTo(Mode.STABLE);
        assertThat(decision.replicas()).isEqualTo(3);
        assertThat(decision.window()).isEqualTo(STABLE);
    }

    @Test
    void aBurstDecidesOnTheBurstWindowAtOnceAndScalesNotDownUntilAStableWindowWithoutOne() {
        current = ready = 2;
        ScalingPolicy policy = policy(settings().scaleDownStabilization(Duration.ZERO));
        load.set(Metric.CONCURRENCY, STABLE, 25);
        load.set(Metric.CONCURRENCY, BURST, 60);
        load.set(Metric.CONCURRENCY, LAST_SECOND, 80);

        ScalingDecision burst = after(policy, 2);
        assertThat(burst.mode()).isEqualTo(Mode.BURST);
        assertThat(burst.window()).isEqualTo(BURST);
        assertThat(burst.observed()).as("the burst window's demand: its last second's, the larger").isEqualTo(80);
        assertThat(burst.replicas()).isEqualTo(8);

        concurrency(30);
        ScalingDecision calm = after(policy, 30);
        assertThat(calm.mode()).isEqualTo(Mode.BURST);
        assertThat(calm.replicas()).isEqualTo(8);
        assertThat(calm.clamps()).containsExactly("bursting: no scale-down");

        ScalingDecision over = after(policy, 30);
        assertThat(over.mode()).isEqualTo(Mode.STABLE);
        assertThat(over.replicas()).isEqualTo(4).as("halved at most: the scale-down rate");
        assertThat(over.clamps()).containsExactly("max scale-down rate");
        assertThat(after(policy, 2).replicas()).isEqualTo(3);
    }

    @Test
    void aBurstAtZeroReplicasNeedsOnlySomeDemand() {
        current = ready = 0;
        min = 0;
        ScalingPolicy policy = policy(settings());
        load.set(Metric.WAITING, Duration.ZERO, 25);

        ScalingDecision decision = after(policy, 0);

        assertThat(decision.mode()).isEqualTo(Mode.BURST);
        assertThat(decision.replicas()).as("at zero every waiting request counts").isEqualTo(3);
    }

    @Test
    void theScaleUpRateBoundsEachDecision() {
        current = ready = 2;
        ScalingPolicy policy = policy(settings().maxScaleUpRate(2));
        concurrency(100);

        ScalingDecision first = after(policy, 2);
        ScalingDecision second = after(policy, 2);

        assertThat(first.replicas()).isEqualTo(4);
        assertThat(first.recommendation()).isEqualTo(10);
        assertThat(first.clamps()).containsExactly("max scale-up rate");
        assertThat(second.replicas()).isEqualTo(8);
        assertThat(after(policy, 2).replicas()).isEqualTo(10);
    }

    @Test
    void aScaleDownGoesNoLowerThanTheHighestRecommendationOfTheStabilisationWindow() {
        current = ready = 6;
        ScalingPolicy policy = policy(settings().scaleDownStabilization(Duration.ofMinutes(5)).maxScaleDownRate(100));
        concurrency(60);
        after(policy, 2);
        concurrency(20);
        ScalingDecision held = after(policy, 60);
        ScalingDecision stillHeld = after(policy, 237);
        ScalingDecision released = after(policy, 4);

        assertThat(held.replicas()).isEqualTo(6);
        assertThat(held.recommendation()).isEqualTo(2);
        assertThat(held.clamps()).containsExactly("stabilisation");
        assertThat(stillHeld.replicas()).isEqualTo(6);
        assertThat(released.replicas()).isEqualTo(2);
        assertThat(released.clamps()).isEmpty();
    }

    @Test
    void noScaleDownWithinTheDelayOfTheLastChange() {
        current = ready = 2;
        ScalingPolicy policy = policy(settings().scaleDownStabilization(Duration.ZERO)
                .scaleDownDelay(Duration.ofSeconds(30)).burstThreshold(Double.POSITIVE_INFINITY));
        concurrency(60);
        after(policy, 2);
        concurrency(10);

        ScalingDecision early = after(policy, 28);
        ScalingDecision late = after(policy, 2);

        assertThat(early.replicas()).isEqualTo(6);
        assertThat(early.clamps()).containsExactly("scale-down delay");
        assertThat(late.replicas()).isEqualTo(3);
    }

    @Test
    void idleForTheIdlePeriodTheLastReplicaGoesWithMinZero() {
        min = 0;
        ScalingPolicy policy = policy(settings().idle(Duration.ofSeconds(60)));
        concurrency(3);
        load.set(Metric.REQUEST_COUNT, null, 10);
        assertThat(after(policy, 2).replicas()).isEqualTo(1);
        concurrency(0);
        load.set(Metric.REQUEST_COUNT, null, 0);
        load.set(Metric.IN_FLIGHT, null, 0);

        ScalingDecision notYet = after(policy, 58);
        ScalingDecision idle = after(policy, 2);

        assertThat(notYet.replicas()).isEqualTo(1);
        assertThat(notYet.clamps()).containsExactly("not idle yet");
        assertThat(idle.replicas()).isZero();
        assertThat(idle.mode()).isEqualTo(Mode.IDLE);
        assertThat(after(policy, 2).replicas()).isZero();
    }

    @Test
    void withAMinimumAboveZeroIdleKeepsTheMinimum() {
        ScalingPolicy policy = policy(settings().idle(Duration.ofSeconds(10)).scaleDownStabilization(Duration.ZERO));
        concurrency(0);

        after(policy, 2);
        ScalingDecision decision = after(policy, 60);

        assertThat(decision.replicas()).isEqualTo(1);
        assertThat(decision.mode()).isEqualTo(Mode.STABLE);
    }

    @Test
    void requestsWaitingForStartingReplicasCountOnlyForTheCapacityTheyBring() {
        current = 3;
        ready = 1;
        ScalingPolicy policy = policy(settings().scaleDownStabilization(Duration.ZERO));
        concurrency(10);
        load.everyWindow(Metric.WAITING_MIN, 400);

        ScalingDecision decision = after(policy, 2);

        assertThat(decision.observed()).as("10 in flight + at most 2 starting x 10").isEqualTo(30);
        assertThat(decision.replicas()).isEqualTo(3);
    }

    @Test
    void requestsThatKeepWaitingCountInFullOnceNothingStarts() {
        current = ready = 1;
        ScalingPolicy policy = policy(settings());
        concurrency(10);
        load.everyWindow(Metric.WAITING_MIN, 190);

        assertThat(after(policy, 2).replicas()).isEqualTo(20);
    }

    @Test
    void whenArrivalsOutrunTheReplicasTheArrivalRateTimesTheLatencyIsTheDemand() {
        current = ready = 1;
        ScalingPolicy policy = policy(settings().utilisation(0.7));
        concurrency(10);
        load.everyWindow(Metric.ARRIVAL_RATE, 1000);
        load.everyWindow(Metric.LATENCY_MS, 50);
        load.everyWindow(Metric.WAITING_MIN, 0);

        ScalingDecision decision = after(policy, 2);

        assertThat(decision.observed()).isEqualTo(50.0);
        assertThat(decision.replicas()).isEqualTo(8);
    }

    @Test
    void requestsPerSecondTrackTheArrivalRate() {
        ScalingPolicy policy = policy(settings().metric(TrackedMetric.REQUESTS_PER_SECOND).target(100));
        load.everyWindow(Metric.ARRIVAL_RATE, 250);

        ScalingDecision decision = after(policy, 2);

        assertThat(decision.metric()).isEqualTo("requests-per-second");
        assertThat(decision.replicas()).isEqualTo(3);
    }

    @Test
    void cpuTracksTheMeanTimesTheReadyReplicasAndKeepsTheCountWithoutAReading() {
        current = ready = 2;
        ScalingPolicy policy = policy(settings().metric(TrackedMetric.CPU_PERCENT).target(50));
        load.set(Metric.CPU_PERCENT, null, Double.NaN);
        ScalingDecision unknown = after(policy, 2);
        load.set(Metric.CPU_PERCENT, null, 90);
        ScalingDecision known = after(policy, 2);

        assertThat(unknown.replicas()).isEqualTo(2);
        assertThat(unknown.clamps()).containsExactly("no reading");
        assertThat(known.observed()).isEqualTo(180.0);
        assertThat(known.replicas()).isEqualTo(4);
    }

    @Test
    void latencyScalesTheCountByItsRatioToTheTarget() {
        current = ready = 4;
        ScalingPolicy policy = policy(settings().metric(TrackedMetric.LATENCY_P95).target(200)
                .burstThreshold(Double.POSITIVE_INFINITY));
        load.everyWindow(Metric.LATENCY_P95, 300);

        assertThat(after(policy, 2).replicas()).isEqualTo(6);
    }

    @Test
    void eachOrchestratorGetsItsOwnStateAndTheTickIsThePolicys() {
        ScalingPolicy shared = ScalingPolicy.targetTracking(settings().tick(Duration.ofSeconds(3)).build());

        assertThat(shared.newInstance()).isNotSameAs(shared.newInstance());
        assertThat(shared.tick()).contains(Duration.ofSeconds(3));
        assertThat(shared).hasToString("target-tracking(concurrency 10 per replica)");
        assertThat(ScalingPolicy.targetTracking(settings().utilisation(0.7).build()))
                .hasToString("target-tracking(concurrency 10 per replica at 70%)");
    }

    @Test
    void theSettingsRefuseWhatCannotWork() {
        assertThatThrownBy(() -> TargetTracking.builder().target(0)).hasMessageContaining("target");
        assertThatThrownBy(() -> TargetTracking.builder().utilisation(1.5)).hasMessageContaining("utilisation");
        assertThatThrownBy(() -> TargetTracking.builder().tolerance(-0.1)).hasMessageContaining("tolerance");
        assertThatThrownBy(() -> TargetTracking.builder().burstThreshold(1)).hasMessageContaining("burstThreshold");
        assertThatThrownBy(() -> TargetTracking.builder().maxScaleDownRate(1)).hasMessageContaining("maxScaleDownRate");
        assertThatThrownBy(() -> TargetTracking.builder().stableWindow(Duration.ZERO)).hasMessageContaining("stableWindow");
        assertThatThrownBy(() -> TargetTracking.builder().burstWindow(Duration.ofMinutes(2)).build())
                .hasMessageContaining("burstWindow");
        assertThatThrownBy(() -> TargetTracking.builder().metric(TrackedMetric.CPU_PERCENT).build())
                .hasMessageContaining("target is required");
        assertThat(TargetTracking.builder().build().idle()).isEqualTo(STABLE);
        assertThat(TargetTracking.builder().stableWindow(Duration.ofSeconds(90)).build().toBuilder().build().idle())
                .isEqualTo(Duration.ofSeconds(90));
    }

    /** Load figures a test sets per metric and window (a null window: any). */
    private static final class Load implements LoadMetrics {
        private final Map<Metric, Map<Duration, Double>> values = new HashMap<>();

        void set(Metric metric, Duration window, double value) {
            values.computeIfAbsent(metric, m -> new HashMap<>()).put(window, value);
        }

        void everyWindow(Metric metric, double value) {
            values.put(metric, new HashMap<>());
            set(metric, null, value);
        }

        @Override
        public double value(Metric metric, Duration window) {
            Map<Duration, Double> byWindow = values.getOrDefault(metric, new HashMap<>());
            Double value = byWindow.containsKey(window) ? byWindow.get(window) : byWindow.get(null);
            if (value != null) {
                return value;
            }
            return switch (metric) {
                case LATENCY_MS, LATENCY_P50, LATENCY_P95, LATENCY_P99, CPU_PERCENT -> Double.NaN;
                default -> 0;
            };
        }
    }
}
