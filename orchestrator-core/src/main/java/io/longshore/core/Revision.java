package io.longshore.core;

import io.longshore.api.ContainerSpec;
import java.util.Objects;

/**
 * One version of the service: a spec, its hash (the {@code io.longshore.spec-hash} label of its
 * replicas) and the generation at which it became the desired spec. Every change of the desired
 * spec (an update, a rollback) takes the next generation, as a Deployment's revision number does,
 * so a restarted orchestrator can tell the newest desired spec among the replicas it finds.
 * Two revisions of one spec (a spec rolled back to) share the hash. Immutable.
 *
 * @param spec       what the replicas run
 * @param hash       {@link ContainerLabels#specHash} of {@code spec}
 * @param generation when it became desired, from 1
 */
record Revision(ContainerSpec spec, String hash, long generation) {
    Revision {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(hash, "hash");
        if (generation < 1) {
            throw new IllegalArgumentException("generation must be >= 1, was " + generation);
        }
    }

    static Revision of(ContainerSpec spec, long generation) {
        return new Revision(spec, ContainerLabels.specHash(spec), generation);
    }

    /** Whether {@code other} runs the same spec (whatever its generation). */
    boolean sameSpec(Revision other) {
        return hash.equals(other.hash);
    }

    /** This spec as generation {@code generation}. */
    Revision at(long generation) {
        return new Revision(spec, hash, generation);
    }

    @Override
    public String toString() {
        return hash + "@" + generation;
    }
}
