package io.longshore.core;

import io.longshore.api.ContainerInfo;
import io.longshore.api.ContainerSpec;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What a starting orchestrator finds its predecessors left, read from the containers' labels: the
 * revision each runs (when its spec is the configured one or can be read from its
 * {@link ContainerLabels#SPEC} label), and the desired revision, as a Deployment keeps its spec
 * across a controller restart. The newest generation found running is the desired spec if the
 * orchestrator that started it was configured as this one is (the spec was changed at run time,
 * by {@link Orchestrator#update}, and the configuration since is the same); otherwise the
 * configured spec is (the configuration changed, as a newly applied manifest). Immutable.
 */
final class FoundReplicas {
    private final List<ContainerInfo> found;
    private final Revision configured;
    private final Revision desired;
    private final String reason;

    private FoundReplicas(List<ContainerInfo> found, Revision configured) {
        this.found = List.copyOf(found);
        this.configured = configured;
        long highest = found.stream().mapToLong(FoundReplicas::generation).max().orElse(0);
        Optional<ContainerInfo> newest = found.stream().filter(ContainerInfo::running)
                .filter(info -> revisionOf(info).isPresent())
                .max(Comparator.comparingLong(FoundReplicas::generation).thenComparing(ContainerInfo::startedAt));
        String newestHash = newest.map(info -> info.labels().get(ContainerLabels.SPEC_HASH)).orElse(configured.hash());
        boolean keepRuntimeSpec = newest.isPresent() && !newestHash.equals(configured.hash())
                && configured.hash().equals(newest.get().labels().get(ContainerLabels.CONFIGURED_SPEC));
        if (keepRuntimeSpec) {
            this.desired = revisionOf(newest.get()).orElseThrow().at(Math.max(1, highest));
            this.reason = "restarted in a rollout: the configured spec " + configured.hash() + " is unchanged, so "
                    + newestHash + ", the spec applied at run time, stays the desired one";
        } else {
            boolean sameAsRunning = newestHash.equals(configured.hash());
            this.desired = configured.at(Math.max(1, highest + (sameAsRunning ? 0 : 1)));
            this.reason = "restarted with the configured spec " + configured.hash() + ", which replicas found running"
                    + " do not all run";
        }
    }

    static FoundReplicas of(List<ContainerInfo> found, Revision configured) {
        return new FoundReplicas(found, configured);
    }

    List<ContainerInfo> containers() {
        return found;
    }

    /** The desired revision: see the class comment. */
    Revision desired() {
        return desired;
    }

    /** Why replicas of other specs are rolled to the desired one, for the rollout that does it. */
    String reason() {
        return reason;
    }

    /** The revision {@code info} runs, when its spec is known: the desired or configured one, or its label's. */
    Optional<Revision> revisionOf(ContainerInfo info) {
        String hash = info.labels().get(ContainerLabels.SPEC_HASH);
        if (hash == null) {
            return Optional.empty();
        }
        long generation = Math.max(1, generation(info));
        if (desired != null && hash.equals(desired.hash())) {
            return Optional.of(desired.at(generation));
        }
        if (hash.equals(configured.hash())) {
            return Optional.of(configured.at(generation));
        }
        return decoded(info).filter(spec -> ContainerLabels.specHash(spec).equals(hash))
                .map(spec -> new Revision(spec, hash, generation));
    }

    private static Optional<ContainerSpec> decoded(ContainerInfo info) {
        String encoded = info.labels().get(ContainerLabels.SPEC);
        if (encoded == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(SpecCodec.decode(encoded));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static long generation(ContainerInfo info) {
        try {
            return Long.parseLong(info.labels().getOrDefault(ContainerLabels.GENERATION, "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
