package io.longshore.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's module on the module path with this module and fabric8's jars, as a user's build
 * would have them: it compiles against {@code io.longshore.kubernetes}, is refused
 * {@code io.longshore.kubernetes.internal}, and runs (fabric8's automatic modules and the Jackson
 * modules they need resolve from {@code requires io.longshore.kubernetes} alone).
 */
class ModuleBoundaryTest {
    private static final String POD_LIST = """
            {"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"7"},"items":[{"metadata":{
            "name":"web-1","namespace":"shop","labels":{"io.longshore.managed":"true"}},
            "spec":{"containers":[{"name":"web","image":"web:1"}]},
            "status":{"phase":"Running","podIP":"127.0.0.1"}}]}""";

    @TempDir
    Path work;

    @Test
    void aConsumerModuleCompilesAgainstTheRuntimeAndIsRefusedItsInternalPackage() {
        assertThat(compileConsumer("import io.longshore.kubernetes.KubernetesRuntime;\nclass Consumer {}\n"))
                .as("exported package").startsWith("0:");

        String refused = compileConsumer("import io.longshore.kubernetes.internal.PodFactory;\nclass Consumer {}\n");

        assertThat(refused).doesNotStartWith("0:")
                .contains("package io.longshore.kubernetes.internal is not visible")
                .contains("which does not export it");
    }

    @Test
    void aConsumerModuleListsPodsOnTheModulePathWithoutExtraModuleFlags() throws Exception {
        HttpServer apiServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        apiServer.createContext("/api/v1/namespaces/shop/pods", exchange -> {
            byte[] body = POD_LIST.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        apiServer.start();
        try {
            String compiled = compileConsumer("""
                    import io.longshore.kubernetes.KubernetesRuntime;
                    import java.util.Map;
                    public class Consumer {
                        public static void main(String[] args) {
                            try (KubernetesRuntime runtime = KubernetesRuntime.builder().masterUrl(args[0])
                                    .namespace("shop").build()) {
                                System.out.println("listed " + runtime.list(Map.of()));
                            }
                        }
                    }
                    """);
            assertThat(compiled).startsWith("0:");
            String url = "http://127.0.0.1:" + apiServer.getAddress().getPort();

            Process consumer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--module-path", work.resolve("out") + File.pathSeparator + modulePath(),
                    "-m", "com.example.consumer/com.example.consumer.Consumer", url)
                    .redirectErrorStream(true).start();
            String output = new String(consumer.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(consumer.waitFor(60, TimeUnit.SECONDS)).as(output).isTrue();
            assertThat(consumer.exitValue()).as(output).isZero();
            assertThat(output).contains("listed [ContainerInfo[id=web-1");
        } finally {
            apiServer.stop(0);
        }
    }

    /** The compiler's exit code, a colon and its output. */
    private String compileConsumer(String source) {
        try {
            Path src = work.resolve("src");
            Files.createDirectories(src.resolve("com/example/consumer"));
            Files.writeString(src.resolve("module-info.java"),
                    "module com.example.consumer {\n    requires io.longshore.kubernetes;\n}\n");
            Files.writeString(src.resolve("com/example/consumer/Consumer.java"),
                    "package com.example.consumer;\n\n" + source);
            List<String> args = List.of("--release", "17", "-proc:none", "--module-path", modulePath(),
                    // an empty class path: the in-process compiler would otherwise use this JVM's
                    "--class-path", Files.createDirectories(work.resolve("no-classes")).toString(),
                    "-d", work.resolve("out").toString(),
                    src.resolve("module-info.java").toString(), src.resolve("com/example/consumer/Consumer.java").toString());
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            int exitCode = javac.run(null, output, output, args.toArray(String[]::new));
            return exitCode + ":" + output.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The entries of this test's class path that a user's module path would hold: this build's
     * api and kubernetes classes and the runtime's jars. Test-only jars stay off it (the mock
     * server's among them), since every automatic module on the path is resolved once one is.
     */
    private static String modulePath() {
        return Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(Path::of)
                .filter(ModuleBoundaryTest::belongsOnTheModulePath)
                .map(Path::toString)
                .collect(Collectors.joining(File.pathSeparator));
    }

    private static boolean belongsOnTheModulePath(Path entry) {
        String path = entry.toString().replace('\\', '/');
        if (Files.isDirectory(entry)) {
            return (path.endsWith("orchestrator-api/target/classes") || path.endsWith("orchestrator-kubernetes/target/classes"))
                    && Files.exists(entry.resolve("module-info.class"));
        }
        String name = entry.getFileName().toString();
        return name.startsWith("orchestrator-api-") && !name.contains("tests")
                || name.startsWith("kubernetes-") && !name.startsWith("kubernetes-server-mock")
                || name.startsWith("zjsonpatch") || name.startsWith("jackson-") || name.startsWith("snakeyaml")
                || name.startsWith("slf4j-api");
    }
}
