package io.longshore.core;

import io.longshore.api.ContainerSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The labels an orchestrator puts on every container it starts, so that a later orchestrator of
 * the same service can find and adopt them, tell which spec each runs, and recover the desired
 * spec of a rollout it was restarted in the middle of. Stateless.
 */
final class ContainerLabels {
    static final String ORCHESTRATOR = "io.longshore.orchestrator";
    static final String SERVICE = "io.longshore.service";
    static final String REPLICA = "io.longshore.replica";
    static final String PORT = "io.longshore.port";
    static final String SPEC_HASH = "io.longshore.spec-hash";
    /** The generation of the replica's spec: when it became the desired spec (see {@link Revision}). */
    static final String GENERATION = "io.longshore.generation";
    /** The replica's spec itself ({@link SpecCodec}), so a restarted orchestrator can start more of it. */
    static final String SPEC = "io.longshore.spec";
    /** The hash of the spec the starting orchestrator was built with (its configuration). */
    static final String CONFIGURED_SPEC = "io.longshore.configured-spec";

    private ContainerLabels() {
    }

    /**
     * {@code labels} fit for a log line: without the spec and its environment, which may hold
     * secrets; its hash stays.
     */
    static Map<String, String> withoutSpec(Map<String, String> labels) {
        Map<String, String> shown = new TreeMap<>(labels);
        shown.remove(SPEC);
        return shown;
    }

    /** The labels that select the containers of {@code orchestrator}'s {@code service}. */
    static Map<String, String> selector(String orchestrator, String service) {
        return Map.of(ORCHESTRATOR, orchestrator, SERVICE, service);
    }

    /** The identifying labels alone, as an orchestrator before rollouts wrote them (for tests of adoption). */
    static Map<String, String> of(String orchestrator, String service, String replicaId, int port, String specHash) {
        return Map.of(ORCHESTRATOR, orchestrator, SERVICE, service, REPLICA, replicaId,
                PORT, Integer.toString(port), SPEC_HASH, specHash);
    }

    /**
     * Every label of a replica of {@code revision} started by an orchestrator built with the spec
     * whose hash is {@code configuredHash}.
     */
    static Map<String, String> of(String orchestrator, String service, String replicaId, int port, Revision revision,
                                  String configuredHash) {
        return Map.of(ORCHESTRATOR, orchestrator, SERVICE, service, REPLICA, replicaId,
                PORT, Integer.toString(port), SPEC_HASH, revision.hash(),
                GENERATION, Long.toString(revision.generation()), SPEC, SpecCodec.encode(revision.spec()),
                CONFIGURED_SPEC, configuredHash);
    }

    /**
     * A hash of what a spec runs (image, command, env, labels, limits, network), stable across
     * JVMs; the stop grace and pull policy are left out since they do not change a running replica.
     */
    static String specHash(ContainerSpec spec) {
        StringBuilder canonical = new StringBuilder()
                .append(spec.service()).append('\n')
                .append(spec.image()).append('\n')
                .append(String.join("\u0000", spec.command())).append('\n')
                .append(new TreeMap<>(spec.env())).append('\n')
                .append(new TreeMap<>(spec.labels())).append('\n')
                .append(spec.memoryBytes()).append('\n')
                .append(spec.cpus()).append('\n')
                .append(spec.network().name()).append('\n')
                .append(spec.containerPort());
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
