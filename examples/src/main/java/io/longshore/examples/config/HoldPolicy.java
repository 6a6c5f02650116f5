package io.longshore.examples.config;

import io.longshore.api.ScalingContext;
import io.longshore.api.ScalingPolicy;

/**
 * The config file's {@code autoscaler: none}: keeps the desired count where it is, so it stays
 * at the initial count until someone sets it through the admin API or the dashboard. (The
 * builder's default, a fixed count, would undo such a change at its next decision.) Stateless.
 */
record HoldPolicy() implements ScalingPolicy {
    @Override
    public int decide(ScalingContext context) {
        return context.currentReplicas();
    }

    @Override
    public String toString() {
        return "none";
    }
}
