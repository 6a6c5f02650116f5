package io.longshore.kubernetes;

import io.longshore.kubernetes.internal.KubernetesRuntimeConfig;

/** Gives the tests of the internal package the validated settings of a builder, as {@code build()} sees them. */
public final class BuilderConfigs {
    private BuilderConfigs() {
    }

    /** The settings {@code builder} would build a runtime with; throws as {@code build()} would. */
    public static KubernetesRuntimeConfig of(KubernetesRuntimeBuilder builder) {
        return builder.config();
    }
}
