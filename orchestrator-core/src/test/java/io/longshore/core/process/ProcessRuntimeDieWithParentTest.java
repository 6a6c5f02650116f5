package io.longshore.core.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.longshore.api.ContainerInfo;
import io.longshore.api.ContainerRuntimeException;
import io.longshore.api.ContainerSpec;
import io.longshore.api.Endpoint;
import io.longshore.api.RuntimeEvent;
import io.longshore.core.OrphanPolicy;
import io.longshore.core.ProcessRuntime;
import io.longshore.testkit.RuntimeUserJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link OrphanPolicy#DIE_WITH_PARENT}: each replica leads its own process group under a watchdog
 * shell; its exit code still comes through; a killed watchdog takes the replica and its group
 * along; the death of the runtime's JVM ends the replica and every process of its group.
 */
class ProcessRuntimeDieWithParentTest {
    private static final Duration AWAIT = Duration.ofSeconds(30);

    @TempDir
    Path logs;
    @TempDir
    Path state;
    private ProcessRuntime runtime;
    private final List<String> started = new ArrayList<>();
    private final List<RuntimeEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void createRuntime() {
        runtime = ProcessRuntime.builder().logDirectory(logs).stateDirectory(state)
                .orphans(OrphanPolicy.DIE_WITH_PARENT).build();
        runtime.watch(events::add);
    }

    @AfterEach
    void stopEverything() {
        started.forEach(id -> runtime.stop(id, Duration.ZERO));
        runtime.close();
    }

    @Test
    void eachReplicaLeadsItsOwnProcessGroupUnderAWatchdogShell() throws IOException {
        ContainerInfo info = start("exec sleep 60", 21401);
        long pid = Pids.of(info);

        await().atMost(AWAIT).until(() -> processGroupOf(pid) == pid);
        ProcessHandle watchdog = ProcessHandle.of(pid).flatMap(ProcessHandle::parent).orElseThrow();
        assertThat(watchdog.parent().map(ProcessHandle::pid)).contains(ProcessHandle.current().pid());
        assertThat(Files.readString(Path.of("/proc", Long.toString(watchdog.pid()), "cmdline")))
                .contains("longshore-watchdog");
        assertThat(runtime.orphans()).isEqualTo(OrphanPolicy.DIE_WITH_PARENT);
    }

    @Test
    void anExitIsReportedWithTheReplicasOwnExitCode() {
        ContainerInfo info = start("sleep 0.2; exit 3", 21402);

        await().atMost(AWAIT).until(() -> !events.isEmpty());
        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.containerId()).isEqualTo(info.id());
            assertThat(event.exitCode()).isEqualTo(3);
        });
        assertThat(runtime.list(Map.of())).singleElement().satisfies(c -> assertThat(c.running()).isFalse());
    }

    @Test
    void aKilledWatchdogTakesItsReplicaAndTheReplicasChildrenAlong() {
        ContainerInfo info = start("sleep 60 & sleep 60 & wait", 21403);
        ProcessHandle replica = ProcessHandle.of(Pids.of(info)).orElseThrow();
        await().atMost(AWAIT).until(() -> replica.descendants().count() == 2);
        List<ProcessHandle> group = new ArrayList<>(replica.descendants().toList());
        group.add(replica);

        replica.parent().orElseThrow().destroyForcibly();

        await().atMost(AWAIT).until(() -> group.stream().noneMatch(Pids::running));
        await().atMost(AWAIT).until(() -> events.size() == 1);
        assertThat(events.get(0).containerId()).isEqualTo(info.id());
    }

    @Test
    void whenItsJvmDiesTheReplicaAndEveryProcessOfItsGroupEnd() {
        List<String> left = RuntimeUserJvm.runThenKill(ProcessRuntimeUser.class, ProcessRuntimeUser.args(state, logs,
                OrphanPolicy.DIE_WITH_PARENT, "left", List.of(Endpoint.loopback(21404)), Map.of("role", "left"),
                List.of("sh", "-c", "trap '' TERM; sleep 60 & sleep 60 & wait")), AWAIT);
        long pid = Pids.of(left.get(0));

        await().atMost(AWAIT).until(() -> !Pids.running(pid) && groupMembers(pid).isEmpty());
        assertThat(runtime.list(Map.of("role", "left"))).isEmpty();
    }

    @Test
    void stopEndsAReplicaThatIgnoresSigtermAndItsWatchdog() {
        ContainerInfo info = start("trap '' TERM; sleep 60 & wait; sleep 60", 21405);
        ProcessHandle replica = ProcessHandle.of(Pids.of(info)).orElseThrow();
        ProcessHandle watchdog = replica.parent().orElseThrow();

        runtime.stop(info.id(), Duration.ofMillis(300));

        assertThat(Pids.running(replica.pid())).isFalse();
        await().atMost(AWAIT).until(() -> !Pids.running(watchdog.pid()));
        assertThat(events).isEmpty();
        assertThat(runtime.list(Map.of())).isEmpty();
    }

    @Test
    void aReplicaThatExitsAfterTheRuntimeClosedIsReapedAndItsWatchdogEnds() {
        ContainerInfo info = start("exec sleep 60", 21407);
        ProcessHandle replica = ProcessHandle.of(Pids.of(info)).orElseThrow();
        ProcessHandle watchdog = replica.parent().orElseThrow();

        runtime.close();
        replica.destroy();

        // a zombie is still alive to ProcessHandle: only its parent, the watchdog, reaping it ends it
        await().atMost(AWAIT).until(() -> !replica.isAlive());
        await().atMost(AWAIT).until(() -> !watchdog.isAlive());
        assertThat(events).as("close removed the watchers").isEmpty();
    }

    @Test
    void anUnknownCommandFailsAtOnceNamingIt() {
        ContainerSpec spec = ContainerSpec.builder("svc").command("no-such-longshore-binary").build();

        assertThatThrownBy(() -> runtime.start(spec, Endpoint.loopback(21406), Map.of()))
                .isInstanceOf(ContainerRuntimeException.class).hasMessageContaining("no-such-longshore-binary")
                .hasMessageContaining("svc");
        assertThat(runtime.list(Map.of())).isEmpty();
    }

    private ContainerInfo start(String script, int port) {
        ContainerInfo info = runtime.start(ContainerSpec.builder("svc").command("sh", "-c", script).build(),
                Endpoint.loopback(port), Map.of());
        started.add(info.id());
        return info;
    }

    private static long processGroupOf(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[2]);
    }

    /** The running processes of process group {@code group}. */
    private static List<Long> groupMembers(long group) {
        return ProcessHandle.allProcesses().filter(p -> Pids.running(p.pid())).map(ProcessHandle::pid)
                .filter(pid -> {
                    try {
                        return processGroupOf(pid) == group;
                    } catch (IOException | RuntimeException gone) {
                        return false;
                    }
                }).toList();
    }
}
