package io.longshore.api;


/** Always the same count. Immutable. */
final class FixedPolicy implements ScalingPolicy {
    private final int replicas;

    FixedPolicy(int replicas) {
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
