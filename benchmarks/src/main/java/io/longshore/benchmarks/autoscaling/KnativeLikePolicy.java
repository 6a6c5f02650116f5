package io.longshore.benchmarks.autoscaling;

import io.longshore.api.Metric;
import io.longshore.api.ScalingContext;
import io.longshore.api.ScalingPolicy;
import java.time.Duration;
import java.time.Instant;

/**
 * Knative's KPA, for comparison: observed concurrency is the requests in flight plus those the
 * activator buffers (the gateway's line), averaged over the stable and the panic window;
 * {@code desired = ceil(observed / target)} bounded by the scale-up and scale-down rates of the
 * ready pods; panic when the panic window's demand reaches the panic threshold of the ready
 * pods' capacity, then the panic window decides and the count never falls until a stable window
 * passes without panic. Stateful: one per orchestrator.
 */
public final class KnativeLikePolicy implements ScalingPolicy {
    private final double target;
    private final Duration stableWindow;
    private final Duration panicWindow;
    private final double panicThreshold;
    private Instant panicSince;
    private Instant lastPanic;

    public KnativeLikePolicy(double target, Duration stableWindow, Duration panicWindow, double panicThreshold) {
        this.target = target;
        this.stableWindow = stableWindow;
        this.panicWindow = panicWindow;
        this.panicThreshold = panicThreshold;
    }

    @Override
    public int decide(ScalingContext context) {
        double stable = observed(context, stableWindow);
        double panic = observed(context, panicWindow);
        int ready = Math.max(1, context.readyReplicas());
        int maxUp = (int) Math.ceil(1000.0 * ready);
        int maxDown = (int) Math.floor(ready / 2.0);
        int desiredStable = bound((int) Math.ceil(stable / target - 1e-9), maxDown, maxUp);
        int desiredPanic = bound((int) Math.ceil(panic / target - 1e-9), maxDown, maxUp);
        Instant now = context.now();
        if (panic / ready >= target * panicThreshold && panic > 0) {
            if (panicSince == null) {
                panicSince = now;
            }
            lastPanic = now;
        } else if (panicSince != null && !lastPanic.plus(stableWindow).isAfter(now)) {
            panicSince = null;
        }
        return panicSince != null ? Math.max(desiredPanic, context.currentReplicas()) : desiredStable;
    }

    private static double observed(ScalingContext context, Duration window) {
        return context.metrics().value(Metric.CONCURRENCY, window) + context.metrics().value(Metric.WAITING, window);
    }

    private static int bound(int value, int low, int high) {
        return Math.max(low, Math.min(high, value));
    }

    @Override
    public ScalingPolicy newInstance() {
        return new KnativeLikePolicy(target, stableWindow, panicWindow, panicThreshold);
    }

    @Override
    public String toString() {
        return "knative-like";
    }
}
