package io.longshore.core;

import io.longshore.api.ContainerRuntimeException;
import io.longshore.api.Endpoint;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Where a process replica's output goes: {@code <root>/<service>/<service>-<port>-<id>.log},
 * next to a {@code .properties} sidecar naming its id, endpoint, command and labels. The pid is
 * known only after the spawn, so output first goes to a uniquely named file that is renamed once
 * the id is known (the child keeps writing to the same file). Stateless apart from the root;
 * thread-safe.
 */
final class ProcessLogFiles {
    private static final String STARTING = "-starting-";
    private final Path root;

    ProcessLogFiles(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    /** A fresh, empty file for the output of a replica that is about to start. */
    Path create(String service, int port) {
        Path dir = root.resolve(safe(service));
        try {
            Files.createDirectories(dir);
            return Files.createTempFile(dir, safe(service) + "-" + port + STARTING, ".log");
        } catch (IOException e) {
            throw new ContainerRuntimeException("cannot create a log file for service '" + service
                    + "' under " + dir + ": " + e, e);
        }
    }

    /** Renames {@code temporary} to its final name; keeps the temporary name when that fails. */
    Path rename(Path temporary, String service, int port, String id) {
        Path target = temporary.resolveSibling(safe(service) + "-" + port + "-" + id + ".log");
        try {
            return Files.move(temporary, target);
        } catch (IOException e) {
            return temporary;
        }
    }

    /** Writes the sidecar of {@code log}; returns its path. */
    Path writeSidecar(Path log, String id, Endpoint endpoint, List<String> command,
                      Map<String, String> labels) throws IOException {
        Properties properties = new Properties();
        properties.setProperty("id", id);
        properties.setProperty("endpoint", endpoint.toString());
        properties.setProperty("command", String.join(" ", command));
        new TreeMap<>(labels).forEach((key, value) -> properties.setProperty("label." + key, value));
        String name = log.getFileName().toString();
        Path sidecar = log.resolveSibling(name.substring(0, name.length() - ".log".length()) + ".properties");
        try (Writer writer = ownerOnly(sidecar)) {
            properties.store(writer, "Longshore process replica");
        }
        return sidecar;
    }

    /**
     * A new file only its owner may read, as the log beside it: the labels hold the replica's
     * spec, and with it its environment (passwords included).
     */
    private static Writer ownerOnly(Path file) throws IOException {
        Files.deleteIfExists(file);
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        return Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    }

    /** {@code name} with every character outside {@code [A-Za-z0-9._-]} replaced by {@code _}. */
    static String safe(String name) {
        String cleaned = name.replaceAll("[^A-Za-z0-9._-]", "_");
        return cleaned.startsWith(".") ? "_" + cleaned.substring(1) : cleaned;
    }
}
