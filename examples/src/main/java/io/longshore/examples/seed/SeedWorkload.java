package io.longshore.examples.seed;

import io.longshore.api.ContainerRuntime;
import io.longshore.api.ContainerSpec;
import java.util.Objects;

/**
 * Where the seed's replicas run and what each runs. Immutable.
 *
 * @param runtime     the container runtime (owned by whoever closes the seed app)
 * @param spec        the replica's spec
 * @param description one line for the start-up log, e.g. {@code local processes running the acts service}
 */
record SeedWorkload(ContainerRuntime runtime, ContainerSpec spec, String description) {
    SeedWorkload {
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(description, "description");
    }
}
