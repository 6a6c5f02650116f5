package io.longshore.api;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A scaling policy's decision with what it decided from, for events and the admin API. Immutable.
 *
 * @param replicas       the desired replica count (the orchestrator still clamps it to min/max)
 * @param metric         what the policy tracks, e.g. {@code concurrency}; empty when it does not say
 * @param observed       the metric's observed value for the whole service; NaN when not applicable
 * @param target         the target per replica (after utilisation); NaN when not applicable
 * @param window         the window it observed over; {@link Duration#ZERO} when not applicable
 * @param mode           the mode it decided in
 * @param recommendation what the metric alone asked for, before tolerance and limits
 * @param clamps         the limits that changed the recommendation, in the order applied
 */
public record ScalingDecision(int replicas, String metric, double observed, double target, Duration window,
                              Mode mode, int recommendation, List<String> clamps) {

    /** How a policy decided. */
    public enum Mode {
        /** On the stable window. */
        STABLE,
        /** On the burst window, not scaling down, after demand reached the burst threshold. */
        BURST,
        /** Idle for its idle period: to zero. */
        IDLE,
        /** A policy that does not say. */
        NONE
    }

    public ScalingDecision {
        if (replicas < 0) {
            throw new IllegalArgumentException("replicas must be >= 0, was " + replicas);
        }
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(mode, "mode");
        clamps = List.copyOf(clamps);
    }

    /** A decision of {@code replicas} without inputs, as a policy that only answers a count makes. */
    public static ScalingDecision of(int replicas) {
        return new ScalingDecision(replicas, "", Double.NaN, Double.NaN, Duration.ZERO, Mode.NONE, replicas, List.of());
    }

    /** This decision with {@code replicas} instead, and {@code clamp} added to its clamps. */
    public ScalingDecision clampedTo(int replicas, String clamp) {
        List<String> more = new java.util.ArrayList<>(clamps);
        more.add(clamp);
        return new ScalingDecision(replicas, metric, observed, target, window, mode, recommendation, more);
    }
}
