package io.longshore.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds Java sources that import an {@code internal} package of a Longshore module. On the
 * module path the descriptors refuse such an import at compile time; on the class path nothing
 * does, so a build that wants to stay on the exported API can assert in a test that this finds
 * nothing:
 *
 * <pre>{@code assertThat(InternalImports.in(Path.of("src"))).isEmpty();}</pre>
 *
 * Stateless.
 */
public final class InternalImports {
    private static final Pattern INTERNAL_IMPORT = Pattern.compile(
            "^import (static )?io\\.longshore\\.[\\w.]*\\binternal\\b", Pattern.MULTILINE);

    private InternalImports() {
    }

    /**
     * The {@code .java} files under {@code root} that import an internal Longshore package.
     *
     * @throws IllegalArgumentException when {@code root} holds no Java source at all (a wrong
     *                                  path would otherwise pass any check)
     */
    public static List<Path> in(Path root) {
        List<Path> sources;
        try (Stream<Path> files = Files.walk(root)) {
            sources = files.filter(f -> f.toString().endsWith(".java")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the sources under " + root, e);
        }
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("no Java source under " + root.toAbsolutePath());
        }
        return sources.stream().filter(InternalImports::importsInternal).toList();
    }

    /** Whether {@code source} (a compilation unit's text) imports an internal Longshore package. */
    public static boolean importsInternal(String source) {
        return INTERNAL_IMPORT.matcher(source).find();
    }

    private static boolean importsInternal(Path source) {
        try {
            return importsInternal(Files.readString(source));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source, e);
        }
    }
}
