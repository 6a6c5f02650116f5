package io.longshore.examples.seed;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/** Reads the {@code Class-Path} of a jar's manifest as absolute paths. Stateless. */
final class ClassPathManifest {
    private ClassPathManifest() {
    }

    /** The entries {@code jar}'s manifest adds to the class path; empty for directories or none. */
    static List<Path> entries(Path jar) throws IOException {
        if (!Files.isRegularFile(jar)) {
            return List.of();
        }
        Manifest manifest;
        try (JarFile file = new JarFile(jar.toFile())) {
            manifest = file.getManifest();
        }
        String classPath = manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
        if (classPath == null || classPath.isBlank()) {
            return List.of();
        }
        List<Path> entries = new ArrayList<>();
        URI base = jar.toAbsolutePath().toUri();
        for (String entry : classPath.trim().split("\\s+")) {
            entries.add(resolve(base, entry));
        }
        return entries;
    }

    private static Path resolve(URI base, String entry) throws IOException {
        try {
            return Path.of(base.resolve(entry)).toAbsolutePath().normalize();
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            throw new IOException("unreadable Class-Path entry '" + entry + "'", e);
        }
    }
}
