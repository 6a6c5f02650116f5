package io.longshore.core.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.longshore.api.ContainerRuntime;
import io.longshore.core.ProcessRuntime;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;

/**
 * A JVM that started children through a process runtime leaves none behind when it ends, be it
 * by returning from main or by SIGTERM. Each case forks a host JVM ({@link ProcessRuntimeHost}).
 */
@Timeout(120)
class ProcessRuntimeJvmExitTest {
    private static final Duration AWAIT = Duration.ofSeconds(20);

    @TempDir
    Path logs;
    private Process host;

    @AfterEach
    void killHost() {
        if (host != null) {
            host.destroyForcibly();
        }
    }

    @Test
    void aJvmReturningFromMainStopsItsChild() throws IOException {
        host = startHost("exit", "exec sleep 60");
        long child = Pids.of(readChildId());

        await().atMost(AWAIT).until(() -> !host.isAlive());
        await().atMost(AWAIT).until(() -> !Pids.running(child));
        assertThat(Pids.running(child)).isFalse();
    }

    @Test
    void aJvmEndedBySigtermStopsItsChildAndTheChildsDescendants() throws IOException {
        host = startHost("wait", "sleep 60 & sleep 60 & wait");
        ProcessHandle child = ProcessHandle.of(Pids.of(readChildId())).orElseThrow();
        await().atMost(AWAIT).until(() -> child.descendants().count() == 2);
        List<ProcessHandle> tree = new ArrayList<>(child.descendants().toList());
        tree.add(child);

        host.destroy();

        await().atMost(AWAIT).until(() -> !host.isAlive());
        await().atMost(AWAIT).until(() -> tree.stream().noneMatch(Pids::running));
        assertThat(host.exitValue()).isEqualTo(143);
    }

    private Process startHost(String mode, String script) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", classPath(),
                ProcessRuntimeHost.class.getName(), logs.toString(), mode, script)
                .redirectErrorStream(true).start();
    }

    private String readChildId() throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(host.getInputStream(), StandardCharsets.UTF_8));
        List<String> seen = new ArrayList<>();
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            if (line.startsWith("pid-")) {
                return line.trim();
            }
            seen.add(line);
        }
        throw new AssertionError("host printed no child id; its output: " + seen);
    }

    private static String classPath() {
        return List.of(ProcessRuntimeHost.class, ProcessRuntime.class, ContainerRuntime.class, Logger.class)
                .stream().map(ProcessRuntimeJvmExitTest::location).distinct()
                .collect(Collectors.joining(java.io.File.pathSeparator));
    }

    private static String location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
