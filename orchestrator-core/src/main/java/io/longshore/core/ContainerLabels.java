package io.longshore.core;

import io.longshore.api.ContainerSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The labels an orchestrator puts on every container it starts, so that a later
 * orchestrator of the same service can find and adopt them. Stateless.
 */
final class ContainerLabels {
    static final String ORCHESTRATOR = "io.longshore.orchestrator";
    static final String SERVICE = "io.longshore.service";
    static final String REPLICA = "io.longshore.replica";
    static final String PORT = "io.longshore.port";
    static final String SPEC_HASH = "io.longshore.spec-hash";

    private ContainerLabels() {
    }

    /** The labels that select the containers of {@code orchestrator}'s {@code service}. */
    static Map<String, String> selector(String orchestrator, String service) {
        return Map.of(ORCHESTRATOR, orchestrator, SERVICE, service);
    }

    static Map<String, String> of(String orchestrator, String service, String replicaId, int port, String specHash) {
        return Map.of(ORCHESTRATOR, orchestrator, SERVICE, service, REPLICA, replicaId,
                PORT, Integer.toString(port), SPEC_HASH, specHash);
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
