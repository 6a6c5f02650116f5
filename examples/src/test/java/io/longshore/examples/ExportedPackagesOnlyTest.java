package io.longshore.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The examples use Longshore as a user can: their sources import no
 * {@code internal} package of a Longshore module. They run on the class path, where the module
 * descriptors do not stop such an import, so this reads the sources instead.
 */
class ExportedPackagesOnlyTest {
    private static final Pattern INTERNAL_IMPORT = Pattern.compile("^import (static )?io\\.longshore\\.[\\w.]*\\binternal\\b",
            Pattern.MULTILINE);

    @Test
    void noExampleSourceImportsAnInternalPackage() throws IOException {
        List<Path> sources;
        try (Stream<Path> files = Files.walk(Path.of("src"))) {
            sources = files.filter(f -> f.toString().endsWith(".java")).toList();
        }

        assertThat(sources).isNotEmpty()
                .filteredOn(ExportedPackagesOnlyTest::importsAnInternalPackage).isEmpty();
        assertThat(importsAnInternalPackage("import io.longshore.core.internal.DefaultRouter;")).isTrue();
    }

    private static boolean importsAnInternalPackage(Path source) {
        try {
            return importsAnInternalPackage(Files.readString(source));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean importsAnInternalPackage(String text) {
        return INTERNAL_IMPORT.matcher(text).find();
    }
}
