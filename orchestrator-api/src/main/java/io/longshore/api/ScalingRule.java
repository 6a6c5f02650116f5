package io.longshore.api;

import java.time.Duration;
import java.util.Objects;

/**
 * One user rule of the seed's extension: "when {@code metric} over {@code window} is above
 * (scale out) or below (scale in) {@code threshold}, multiply (out) or divide (in) the
 * replica count by {@code factor}, at most once per {@code cooldown}". Immutable.
 *
 * @param metric    the figure to watch
 * @param window    how far back to look
 * @param threshold the trigger level
 * @param action    what to do when it triggers
 * @param factor    the scale factor, &gt; 1; the count changes by at least one replica
 * @param cooldown  the least time since the last change before this rule may act again
 */
public record ScalingRule(Metric metric, Duration window, double threshold, Action action,
                          double factor, Duration cooldown) {

    /** What a rule does when it triggers. */
    public enum Action {
        /** Triggers when the metric is above the threshold; adds replicas. */
        SCALE_OUT,
        /** Triggers when the metric is below the threshold; removes replicas. */
        SCALE_IN
    }

    public ScalingRule {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(cooldown, "cooldown");
        if (window.isNegative()) {
            throw new IllegalArgumentException("window must not be negative, was " + window);
        }
        if (cooldown.isNegative()) {
            throw new IllegalArgumentException("cooldown must not be negative, was " + cooldown);
        }
        if (Double.isNaN(threshold)) {
            throw new IllegalArgumentException("threshold must be a number");
        }
        if (!(factor > 1.0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("factor must be > 1, was " + factor);
        }
    }
}
