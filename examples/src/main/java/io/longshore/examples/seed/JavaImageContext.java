package io.longshore.examples.seed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes the build context of a Java image that needs no registry: a {@code jlink}ed runtime
 * of this JDK, the shared libraries it links against (found with {@code ldd}), this JVM's class
 * path, and a {@code FROM scratch} Dockerfile running a main class. Linux only; needs a JDK
 * (for {@code jlink}). Stateless.
 */
final class JavaImageContext {
    /** The modules the acts service and its libraries (H2, Jackson, SLF4J) use. */
    static final List<String> MODULES = List.of("java.base", "java.sql", "java.naming", "java.management",
            "java.logging", "java.xml", "java.desktop", "jdk.httpserver", "jdk.unsupported", "java.scripting",
            "java.compiler", "java.instrument", "java.transaction.xa", "jdk.net");
    /** The native libraries a headless server JVM loads; their dependencies go into the image. */
    private static final List<String> NATIVE = List.of("bin/java", "lib/libjli.so", "lib/server/libjvm.so",
            "lib/libjava.so", "lib/libnet.so", "lib/libnio.so", "lib/libzip.so", "lib/libjimage.so",
            "lib/libverify.so", "lib/libmanagement.so", "lib/libextnet.so");
    private static final Pattern LIBRARY = Pattern.compile("(/\\S+) \\(0x");
    private static final String JAVA_HOME = "/opt/java";
    private static final long TOOL_TIMEOUT_SECONDS = 300;

    private JavaImageContext() {
    }

    /** Writes the context into the empty directory {@code dir}. */
    static void write(Path dir, List<Path> classPath, List<String> command) throws IOException {
        Path rootfs = dir.resolve("rootfs");
        Path java = rootfs.resolve(JAVA_HOME.substring(1));
        Files.createDirectories(java.getParent());
        run(List.of(jlink(), "--add-modules", String.join(",", MODULES), "--strip-debug", "--no-header-files",
                "--no-man-pages", "--output", java.toString()));
        copyLibraries(rootfs, java);
        Files.createDirectories(rootfs.resolve("tmp")).toFile().setWritable(true, false);
        List<String> containerClassPath = copyClassPath(rootfs.resolve("app"), classPath);
        Files.writeString(dir.resolve("Dockerfile"), dockerfile(containerClassPath, command));
    }

    /** The Dockerfile: the runtime, libraries and class path, and the command with its class path. */
    static String dockerfile(List<String> classPath, List<String> command) {
        List<String> entrypoint = new ArrayList<>();
        entrypoint.add(JAVA_HOME + "/bin/java");
        for (String arg : command) {
            entrypoint.add(arg.equals("{classpath}") ? String.join(":", classPath) : arg);
        }
        String json = entrypoint.stream().map(a -> "\"" + a.replace("\"", "\\\"") + "\"")
                .reduce((a, b) -> a + ", " + b).orElseThrow();
        return "FROM scratch\nCOPY rootfs/ /\nENV PATH=" + JAVA_HOME + "/bin JAVA_HOME=" + JAVA_HOME
                + "\nENTRYPOINT [" + json + "]\n";
    }

    /** Every shared library path in {@code ldd} output. */
    static Set<String> libraries(String lddOutput) {
        Set<String> paths = new LinkedHashSet<>();
        Matcher matcher = LIBRARY.matcher(lddOutput);
        while (matcher.find()) {
            paths.add(matcher.group(1));
        }
        return paths;
    }

    /** The class path with every jar's manifest {@code Class-Path} expanded (surefire's booter jar). */
    static List<Path> expand(List<Path> classPath) throws IOException {
        Set<Path> entries = new LinkedHashSet<>();
        for (Path entry : classPath) {
            entries.add(entry.toAbsolutePath().normalize());
            entries.addAll(ClassPathManifest.entries(entry));
        }
        return List.copyOf(entries);
    }

    private static void copyLibraries(Path rootfs, Path java) throws IOException {
        List<String> lddCommand = new ArrayList<>(List.of("ldd"));
        for (String file : NATIVE) {
            if (Files.exists(java.resolve(file))) {
                lddCommand.add(java.resolve(file).toString());
            }
        }
        for (String library : libraries(run(lddCommand))) {
            if (!library.startsWith(java.toString())) {
                Path target = rootfs.resolve(library.substring(1));
                Files.createDirectories(target.getParent());
                Files.copy(Path.of(library), target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static List<String> copyClassPath(Path app, List<Path> classPath) throws IOException {
        List<String> inContainer = new ArrayList<>();
        int index = 0;
        for (Path entry : expand(classPath)) {
            if (!Files.exists(entry)) {
                continue;
            }
            String name = (index++) + "-" + entry.getFileName();
            copyTree(entry, app.resolve(name));
            inContainer.add("/app/" + name);
        }
        return inContainer;
    }

    private static void copyTree(Path source, Path target) throws IOException {
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path to = target.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(to);
                } else {
                    Files.createDirectories(to.getParent());
                    Files.copy(file, to, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static String jlink() {
        Path jlink = Path.of(System.getProperty("java.home"), "bin", "jlink");
        if (!Files.isExecutable(jlink)) {
            throw new IllegalStateException("no jlink at " + jlink + ": building the local Java image needs a JDK");
        }
        return jlink.toString();
    }

    private static String run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException(command.get(0) + " failed: " + output.strip());
            }
            return output;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command.get(0), e);
        } finally {
            process.destroyForcibly();
        }
    }

    static UncheckedIOException unchecked(String message, IOException e) {
        return new UncheckedIOException(message + ": " + e.getMessage(), e);
    }
}
