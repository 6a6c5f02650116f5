package io.longshore.examples.seed;

import io.longshore.examples.acts.ActsMain;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command that runs one acts replica as a local process: this JVM's {@code java} binary
 * with this JVM's class path (the seed jar, or the build's classes), a small heap, and
 * {@link ActsMain}. The process runtime sets {@code PORT}.
 */
final class ActsCommand {
    /** Small-footprint JVM flags: a replica is a tiny service and several share the machine. */
    static final List<String> JVM_FLAGS = List.of(
            "-Xmx96m", "-Xss512k", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    private ActsCommand() {
    }

    /** The command for this JVM. */
    static List<String> forThisJvm() {
        String java = ProcessHandle.current().info().command()
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
        return of(java, System.getProperty("java.class.path"));
    }

    static List<String> of(String javaBinary, String classPath) {
        if (classPath == null || classPath.isBlank()) {
            throw new IllegalStateException("no class path to run the acts service from");
        }
        List<String> command = new ArrayList<>();
        command.add(javaBinary);
        command.addAll(JVM_FLAGS);
        command.addAll(List.of("-cp", classPath, ActsMain.class.getName()));
        return List.copyOf(command);
    }
}
