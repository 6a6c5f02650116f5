package io.longshore.api;

import io.longshore.api.internal.Checks;
import java.time.Duration;
import java.util.Objects;

/**
 * The settings of {@link ScalingPolicy#targetTracking}: run as many replicas as keep a metric per
 * replica at a target, {@code desired = ceil(observed / (target × utilisation))}, with the guards
 * of Knative's autoscaler, the Kubernetes HPA and AWS target tracking. Immutable and validated;
 * build with {@link #builder()}, derive variants with {@link #toBuilder()}.
 *
 * @param metric                 what is tracked
 * @param target                 the metric's target per replica
 * @param utilisation            the share of the target to aim at, in (0, 1] (0.7 keeps 30 % headroom)
 * @param tolerance              no change while observed / (current × target) is within 1 ± this
 * @param stableWindow           the window decisions are made on
 * @param burstWindow            the short window that detects bursts
 * @param burstThreshold         burst when the burst window's demand reaches this many times the current capacity
 * @param maxScaleUpRate         a decision raises the count to at most {@code ceil(max(current, 1) × this)}
 * @param maxScaleDownRate       a decision lowers the count to at least {@code floor(current / this)}
 * @param scaleDownStabilization a scale-down goes no lower than the highest recommendation of this last stretch
 * @param scaleDownDelay         no scale-down within this time of the last change of the count
 * @param idle                   with {@code minReplicas(0)}: to zero after this long without a request
 * @param tick                   how often to decide (the orchestrator's scaling interval unless set there)
 */
public record TargetTracking(TrackedMetric metric, double target, double utilisation, double tolerance,
                             Duration stableWindow, Duration burstWindow, double burstThreshold,
                             double maxScaleUpRate, double maxScaleDownRate, Duration scaleDownStabilization,
                             Duration scaleDownDelay, Duration idle, Duration tick) {

    /** What a target-tracking policy tracks, per replica. */
    public enum TrackedMetric {
        /**
         * Requests in flight (time-weighted), plus the requests waiting in the gateway's line: the
         * larger of the in-flight mean and the arrival rate times the mean latency (Little's law),
         * plus the requests that keep waiting.
         */
        CONCURRENCY("concurrency", true),
        /** Requests arriving per second (routed at once or after waiting in the line). */
        REQUESTS_PER_SECOND("requests-per-second", true),
        /** CPU use in percent of one core, from the runtime's stats. */
        CPU_PERCENT("cpu-percent", true),
        /** The 95th percentile of the response latency in milliseconds (not additive: scaled by its ratio to the target). */
        LATENCY_P95("latency-p95", false);

        private final String label;
        private final boolean additive;

        TrackedMetric(String label, boolean additive) {
            this.label = label;
            this.additive = additive;
        }

        /** Whether the observed value is a total the replicas share (true), or a per-replica figure that scales inversely. */
        public boolean additive() {
            return additive;
        }

        /** The metric's name in events and the admin API, e.g. {@code concurrency}. */
        public String label() {
            return label;
        }
    }

    /** Target concurrency per replica. */
    public static final double DEFAULT_TARGET = 10;
    public static final double DEFAULT_UTILISATION = 1.0;
    /** The HPA's tolerance. */
    public static final double DEFAULT_TOLERANCE = 0.10;
    /** Knative's stable window. */
    public static final Duration DEFAULT_STABLE_WINDOW = Duration.ofSeconds(60);
    /** Knative's panic window: 10 % of the stable window. */
    public static final Duration DEFAULT_BURST_WINDOW = Duration.ofSeconds(6);
    /** Knative's panic threshold: 200 % of the current capacity. */
    public static final double DEFAULT_BURST_THRESHOLD = 2.0;
    /** Knative's max scale-up rate. */
    public static final double DEFAULT_MAX_SCALE_UP_RATE = 1000;
    /** Knative's max scale-down rate: at most halve per decision. */
    public static final double DEFAULT_MAX_SCALE_DOWN_RATE = 2.0;
    /** The HPA's scale-down stabilisation window. */
    public static final Duration DEFAULT_SCALE_DOWN_STABILIZATION = Duration.ofMinutes(5);
    public static final Duration DEFAULT_SCALE_DOWN_DELAY = Duration.ZERO;
    /** Knative's tick. */
    public static final Duration DEFAULT_TICK = Duration.ofSeconds(2);

    public TargetTracking {
        Objects.requireNonNull(metric, "metric");
        requirePositive(target, "target");
        if (!(utilisation > 0 && utilisation <= 1)) {
            throw new IllegalArgumentException("utilisation must be in (0, 1], was " + utilisation);
        }
        if (!(tolerance >= 0 && tolerance < 1)) {
            throw new IllegalArgumentException("tolerance must be in [0, 1), was " + tolerance);
        }
        Checks.requirePositive(stableWindow, "stableWindow");
        Checks.requirePositive(burstWindow, "burstWindow");
        if (burstWindow.compareTo(stableWindow) > 0) {
            throw new IllegalArgumentException("burstWindow (" + burstWindow + ") must not be longer than stableWindow ("
                    + stableWindow + ")");
        }
        if (!(burstThreshold > 1) || Double.isNaN(burstThreshold)) {
            throw new IllegalArgumentException("burstThreshold must be > 1 (infinity: never burst), was " + burstThreshold);
        }
        if (!(maxScaleUpRate > 1) || Double.isInfinite(maxScaleUpRate)) {
            throw new IllegalArgumentException("maxScaleUpRate must be > 1, was " + maxScaleUpRate);
        }
        if (!(maxScaleDownRate > 1) || Double.isInfinite(maxScaleDownRate)) {
            throw new IllegalArgumentException("maxScaleDownRate must be > 1, was " + maxScaleDownRate);
        }
        Checks.requireNotNegative(scaleDownStabilization, "scaleDownStabilization");
        Checks.requireNotNegative(scaleDownDelay, "scaleDownDelay");
        Checks.requirePositive(idle, "idle");
        Checks.requirePositive(tick, "tick");
    }

    /** Concurrency 10 per replica at 100 %, 10 % tolerance, 60 s / 6 s windows, burst at 2×, 5 min stabilisation, 2 s tick. */
    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The metric per replica the count aims at: {@code target × utilisation}. */
    public double effectiveTarget() {
        return target * utilisation;
    }

    private static void requirePositive(double value, String name) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be > 0, was " + value);
        }
    }

    /** Builds {@link TargetTracking}; every setter checks its argument and says its default. Not thread-safe. */
    public static final class Builder {
        private TrackedMetric metric = TrackedMetric.CONCURRENCY;
        private double target = DEFAULT_TARGET;
        private boolean targetSet;
        private double utilisation = DEFAULT_UTILISATION;
        private double tolerance = DEFAULT_TOLERANCE;
        private Duration stableWindow = DEFAULT_STABLE_WINDOW;
        private Duration burstWindow = DEFAULT_BURST_WINDOW;
        private double burstThreshold = DEFAULT_BURST_THRESHOLD;
        private double maxScaleUpRate = DEFAULT_MAX_SCALE_UP_RATE;
        private double maxScaleDownRate = DEFAULT_MAX_SCALE_DOWN_RATE;
        private Duration scaleDownStabilization = DEFAULT_SCALE_DOWN_STABILIZATION;
        private Duration scaleDownDelay = DEFAULT_SCALE_DOWN_DELAY;
        private Duration idle;
        private Duration tick = DEFAULT_TICK;

        private Builder() {
        }

        private Builder(TargetTracking s) {
            metric = s.metric;
            target = s.target;
            targetSet = true;
            utilisation = s.utilisation;
            tolerance = s.tolerance;
            stableWindow = s.stableWindow;
            burstWindow = s.burstWindow;
            burstThreshold = s.burstThreshold;
            maxScaleUpRate = s.maxScaleUpRate;
            maxScaleDownRate = s.maxScaleDownRate;
            scaleDownStabilization = s.scaleDownStabilization;
            scaleDownDelay = s.scaleDownDelay;
            idle = s.idle;
            tick = s.tick;
        }

        /** What to track; {@link TrackedMetric#CONCURRENCY} by default (any other needs its {@link #target}). */
        public Builder metric(TrackedMetric metric) {
            this.metric = Objects.requireNonNull(metric, "metric");
            return this;
        }

        /** The metric's target per replica; {@value #DEFAULT_TARGET} requests in flight by default. */
        public Builder target(double target) {
            requirePositive(target, "target");
            this.target = target;
            this.targetSet = true;
            return this;
        }

        /** The share of the target to aim at, in (0, 1]; {@value #DEFAULT_UTILISATION} by default. */
        public Builder utilisation(double utilisation) {
            if (!(utilisation > 0 && utilisation <= 1)) {
                throw new IllegalArgumentException("utilisation must be in (0, 1], was " + utilisation);
            }
            this.utilisation = utilisation;
            return this;
        }

        /** No change while observed / (current × target) is within 1 ± this; {@value #DEFAULT_TOLERANCE} by default. */
        public Builder tolerance(double tolerance) {
            if (!(tolerance >= 0 && tolerance < 1)) {
                throw new IllegalArgumentException("tolerance must be in [0, 1), was " + tolerance);
            }
            this.tolerance = tolerance;
            return this;
        }

        /** The window decisions are made on; {@link #DEFAULT_STABLE_WINDOW} (60 s) by default. */
        public Builder stableWindow(Duration window) {
            this.stableWindow = Checks.requirePositive(window, "stableWindow");
            return this;
        }

        /** The short window that detects bursts; {@link #DEFAULT_BURST_WINDOW} (6 s) by default. */
        public Builder burstWindow(Duration window) {
            this.burstWindow = Checks.requirePositive(window, "burstWindow");
            return this;
        }

        /**
         * Burst when the burst window's demand reaches this many times the current capacity, > 1;
         * {@value #DEFAULT_BURST_THRESHOLD} by default; {@link Double#POSITIVE_INFINITY} never bursts.
         */
        public Builder burstThreshold(double threshold) {
            if (!(threshold > 1)) {
                throw new IllegalArgumentException("burstThreshold must be > 1, was " + threshold);
            }
            this.burstThreshold = threshold;
            return this;
        }

        /** A decision raises the count to at most {@code ceil(max(current, 1) × rate)}, > 1; {@value #DEFAULT_MAX_SCALE_UP_RATE} by default. */
        public Builder maxScaleUpRate(double rate) {
            if (!(rate > 1) || Double.isInfinite(rate)) {
                throw new IllegalArgumentException("maxScaleUpRate must be > 1, was " + rate);
            }
            this.maxScaleUpRate = rate;
            return this;
        }

        /** A decision lowers the count to at least {@code floor(current / rate)}, > 1; {@value #DEFAULT_MAX_SCALE_DOWN_RATE} by default. */
        public Builder maxScaleDownRate(double rate) {
            if (!(rate > 1) || Double.isInfinite(rate)) {
                throw new IllegalArgumentException("maxScaleDownRate must be > 1, was " + rate);
            }
            this.maxScaleDownRate = rate;
            return this;
        }

        /**
         * A scale-down goes no lower than the highest recommendation of this last stretch (0: none);
         * {@link #DEFAULT_SCALE_DOWN_STABILIZATION} (5 min) by default.
         */
        public Builder scaleDownStabilization(Duration stabilization) {
            this.scaleDownStabilization = Checks.requireNotNegative(stabilization, "scaleDownStabilization");
            return this;
        }

        /** No scale-down within this time of the last change of the count; none by default. */
        public Builder scaleDownDelay(Duration delay) {
            this.scaleDownDelay = Checks.requireNotNegative(delay, "scaleDownDelay");
            return this;
        }

        /** With {@code minReplicas(0)}: to zero after this long without a request; the stable window by default. */
        public Builder idle(Duration idle) {
            this.idle = Checks.requirePositive(idle, "idle");
            return this;
        }

        /** How often to decide; {@link #DEFAULT_TICK} (2 s) by default. */
        public Builder tick(Duration tick) {
            this.tick = Checks.requirePositive(tick, "tick");
            return this;
        }

        /** Checks the settings together and builds them. */
        public TargetTracking build() {
            if (metric != TrackedMetric.CONCURRENCY && !targetSet) {
                throw new IllegalArgumentException("target is required for " + metric.label()
                        + " (the default target " + DEFAULT_TARGET + " is a concurrency)");
            }
            return new TargetTracking(metric, target, utilisation, tolerance, stableWindow, burstWindow,
                    burstThreshold, maxScaleUpRate, maxScaleDownRate, scaleDownStabilization, scaleDownDelay,
                    idle != null ? idle : stableWindow, tick);
        }
    }
}
