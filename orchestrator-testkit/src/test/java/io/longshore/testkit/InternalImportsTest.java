package io.longshore.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InternalImportsTest {
    @Test
    void anImportOfAnInternalPackageIsFoundAndExportedOnesAreNot() {
        assertThat(InternalImports.importsInternal("import io.longshore.core.internal.DefaultRouter;")).isTrue();
        assertThat(InternalImports.importsInternal("import static io.longshore.api.internal.Checks.requirePositive;")).isTrue();
        assertThat(InternalImports.importsInternal("import io.longshore.jetty.internal.codec.*;")).isTrue();
        assertThat(InternalImports.importsInternal("import io.longshore.jetty.Gateway;")).isFalse();
        assertThat(InternalImports.importsInternal("import com.example.internal.Thing;")).isFalse();
        assertThat(InternalImports.importsInternal("// import io.longshore.core.internal.DefaultRouter;")).isFalse();
    }

    @Test
    void theSourcesThatImportAnInternalPackageAreListed(@TempDir Path dir) throws Exception {
        Path clean = Files.writeString(Files.createDirectories(dir.resolve("a")).resolve("Clean.java"),
                "package a;\nimport io.longshore.api.Backend;\nclass Clean {}\n");
        Path leaky = Files.writeString(dir.resolve("Leaky.java"),
                "package b;\n\nimport io.longshore.core.internal.ReplicaBackend;\nclass Leaky {}\n");

        assertThat(InternalImports.in(dir)).containsExactly(leaky).doesNotContain(clean);
    }

    @Test
    void aDirectoryWithoutSourcesIsAnErrorNotAPass(@TempDir Path dir) {
        assertThatThrownBy(() -> InternalImports.in(dir)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no Java source");
    }
}
