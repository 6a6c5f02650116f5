package io.longshore.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A user's module compiled on the module path against the built Longshore modules sees the API
 * packages and is refused every internal one: the module descriptors seal the boundaries. The
 * module path holds this build's classes of the api, core and jetty modules and their
 * dependencies' jars, as a user's build would see them.
 */
class ModuleBoundaryTest {

    @TempDir
    Path work;

    @Test
    void aConsumerModuleCompilesAgainstTheExportedPackages() {
        Result result = compileConsumer("""
                import io.longshore.api.HealthProbe;
                import io.longshore.core.Orchestrator;
                import io.longshore.jetty.Gateway;
                """, "requires io.longshore.jetty;");

        assertThat(result.exitCode).as(result.output).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "io.longshore.core.internal.DefaultRouter",
            "io.longshore.jetty.internal.engine.ProxyEngine",
            "io.longshore.jetty.internal.routing.RouteTable",
            "io.longshore.jetty.internal.codec.RequestHead",
    })
    void aConsumerModuleCannotImportAnInternalPackage(String internalType) {
        String pkg = internalType.substring(0, internalType.lastIndexOf('.'));

        Result result = compileConsumer("import " + internalType + ";\n", "requires io.longshore.jetty;");

        assertThat(result.exitCode).as(result.output).isNotZero();
        assertThat(result.output).contains("package " + pkg + " is not visible")
                .containsPattern("which does not export it");
    }

    @Test
    void theArgumentChecksAreExportedOnlyToTheSiblingModules() {
        Result result = compileConsumer("import io.longshore.api.internal.Checks;\n", "requires io.longshore.jetty;");

        assertThat(result.exitCode).as(result.output).isNotZero();
        assertThat(result.output).contains("package io.longshore.api.internal is not visible")
                .contains("which does not export it to module com.example.consumer");
    }

    private Result compileConsumer(String imports, String requires) {
        try {
            Path src = work.resolve("src");
            Files.createDirectories(src.resolve("com/example/consumer"));
            Files.writeString(src.resolve("module-info.java"),
                    "module com.example.consumer {\n    " + requires + "\n}\n");
            Files.writeString(src.resolve("com/example/consumer/Consumer.java"),
                    "package com.example.consumer;\n\n" + imports + "\nclass Consumer {\n}\n");
            List<String> args = List.of(
                    "--release", "17",
                    "-proc:none",
                    "--module-path", modulePath(),
                    // an empty class path: the in-process compiler would otherwise use this JVM's
                    "--class-path", Files.createDirectories(work.resolve("no-classes")).toString(),
                    "-d", work.resolve("out").toString(),
                    src.resolve("module-info.java").toString(),
                    src.resolve("com/example/consumer/Consumer.java").toString());
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            int exitCode = javac.run(null, output, output, args.toArray(String[]::new));
            return new Result(exitCode, output.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The entries of this test's class path that a user's module path would hold: named modules
     * (this build's module directories and modular jars) and the automatic modules Longshore
     * requires. Test-only jars stay off it, since every automatic module on the path is resolved
     * once one is.
     */
    private static String modulePath() {
        return Stream.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .map(Path::of)
                .filter(ModuleBoundaryTest::belongsOnTheModulePath)
                .map(Path::toString)
                .collect(Collectors.joining(java.io.File.pathSeparator));
    }

    private static boolean belongsOnTheModulePath(Path entry) {
        if (Files.isDirectory(entry)) {
            return Files.exists(entry.resolve("module-info.class"));
        }
        String name = entry.getFileName().toString();
        return name.startsWith("orchestrator-api") || name.startsWith("orchestrator-core")
                || name.startsWith("jetty-") || name.startsWith("slf4j-api")
                || name.startsWith("httpclient5") || name.startsWith("httpcore5")
                || name.startsWith("micrometer-") || name.startsWith("prometheus-metrics-")
                || name.startsWith("jackson-") || name.startsWith("HdrHistogram")
                || name.startsWith("LatencyUtils");
    }

    private record Result(int exitCode, String output) {
    }
}
