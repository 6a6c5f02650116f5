package io.longshore.core;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds a program the way {@code execvp} does: a name with a slash as is, else along {@code PATH}. Stateless. */
final class Executables {
    private Executables() {
    }

    /**
     * The executable {@code program} names, or empty.
     *
     * @param program          a path, or a bare name looked up along {@code path}
     * @param path             the {@code PATH} to search (may be null)
     * @param workingDirectory where a relative path is resolved (null: this JVM's directory)
     */
    static Optional<Path> find(String program, String path, Path workingDirectory) {
        if (program.contains("/")) {
            Path file = workingDirectory == null ? Path.of(program) : workingDirectory.resolve(program);
            return isExecutableFile(file) ? Optional.of(file) : Optional.empty();
        }
        if (path == null) {
            return Optional.empty();
        }
        for (String directory : path.split(File.pathSeparator)) {
            Path file = Path.of(directory.isEmpty() ? "." : directory, program);
            if (isExecutableFile(file)) {
                return Optional.of(file.toAbsolutePath());
            }
        }
        return Optional.empty();
    }

    private static boolean isExecutableFile(Path file) {
        return Files.isRegularFile(file) && Files.isExecutable(file);
    }
}
