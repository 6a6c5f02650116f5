package io.longshore.core;

import io.longshore.api.Endpoint;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * What a {@link ProcessRuntime} writes down about a replica it runs, so that a later runtime can
 * find the process again and adopt it. Immutable.
 *
 * @param id        the container id ({@code pid-<pid>})
 * @param process   the replica's process (pid and start time)
 * @param endpoint  where it serves
 * @param labels    its labels (the spec's and the caller's)
 * @param specHash  the hash of what it runs (the same hash the orchestrator labels replicas with)
 * @param logFile   where its output goes
 * @param startedAt when it was started, by the starting runtime's clock
 * @param orphans   the policy it was started under
 * @param owner     the JVM whose runtime holds it now; empty once released by {@code close()}
 */
record ProcessRecord(String id, ProcessIdentity process, Endpoint endpoint, Map<String, String> labels,
                     String specHash, Path logFile, Instant startedAt, OrphanPolicy orphans,
                     Optional<ProcessIdentity> owner) {
    private static final String LABEL = "label.";

    ProcessRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(process, "process");
        Objects.requireNonNull(endpoint, "endpoint");
        labels = Map.copyOf(labels);
        Objects.requireNonNull(specHash, "specHash");
        Objects.requireNonNull(logFile, "logFile");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(orphans, "orphans");
        Objects.requireNonNull(owner, "owner");
    }

    /** The same record held by {@code newOwner} (empty: released, anyone may adopt it). */
    ProcessRecord ownedBy(Optional<ProcessIdentity> newOwner) {
        return new ProcessRecord(id, process, endpoint, labels, specHash, logFile, startedAt, orphans, newOwner);
    }

    /** Whether it carries every one of {@code selector}'s labels. */
    boolean matches(Map<String, String> selector) {
        return labels.entrySet().containsAll(selector.entrySet());
    }

    Properties toProperties() {
        Properties properties = new Properties();
        properties.setProperty("id", id);
        properties.setProperty("process", process.toString());
        properties.setProperty("endpoint", endpoint.toString());
        properties.setProperty("specHash", specHash);
        properties.setProperty("logFile", logFile.toString());
        properties.setProperty("startedAt", startedAt.toString());
        properties.setProperty("orphans", orphans.name());
        owner.ifPresent(jvm -> properties.setProperty("owner", jvm.toString()));
        new TreeMap<>(labels).forEach((key, value) -> properties.setProperty(LABEL + key, value));
        return properties;
    }

    /** Reads a record back; throws {@link IllegalArgumentException} naming what is missing or malformed. */
    static ProcessRecord fromProperties(Properties properties) {
        Map<String, String> labels = new TreeMap<>();
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith(LABEL)) {
                labels.put(key.substring(LABEL.length()), properties.getProperty(key));
            }
        }
        String owner = properties.getProperty("owner");
        try {
            return new ProcessRecord(required(properties, "id"), ProcessIdentity.parse(required(properties, "process")),
                    Endpoint.parse(required(properties, "endpoint")), labels, required(properties, "specHash"),
                    Path.of(required(properties, "logFile")), Instant.parse(required(properties, "startedAt")),
                    OrphanPolicy.valueOf(required(properties, "orphans")),
                    owner == null ? Optional.empty() : Optional.of(ProcessIdentity.parse(owner)));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("malformed process record: " + e.getMessage(), e);
        }
    }

    private static String required(Properties properties, String key) {
        String value = properties.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("no '" + key + "'");
        }
        return value;
    }
}
