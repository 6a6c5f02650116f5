package io.longshore.api.internal;

import io.longshore.api.ScalingContext;
import io.longshore.api.ScalingPolicy;

/** Always the same count. Immutable. */
public final class FixedPolicy implements ScalingPolicy {
    private final int replicas;

    public FixedPolicy(int replicas) {
        if (replicas < 0) {
            throw new IllegalArgumentException("replicas must be >= 0, was " + replicas);
        }
        this.replicas = replicas;
    }

    @Override
    public int decide(ScalingContext context) {
        return replicas;
    }

    @Override
    public String toString() {
        return "fixed(" + replicas + ")";
    }
}
