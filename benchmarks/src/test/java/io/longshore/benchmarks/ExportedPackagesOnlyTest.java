package io.longshore.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.longshore.testkit.InternalImports;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The benchmarks measure Longshore as a user can use it: their sources import no {@code internal} package of a
 * Longshore module. They build on the class path, where the module descriptors do not stop such
 * an import, so this reads the sources instead.
 */
class ExportedPackagesOnlyTest {
    @Test
    void noBenchmarkSourceImportsAnInternalPackage() {
        assertThat(InternalImports.in(Path.of("src"))).isEmpty();
    }
}
