package io.longshore.core.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.longshore.api.ContainerInfo;
import io.longshore.api.ContainerRuntimeException;
import io.longshore.api.ContainerSpec;
import io.longshore.api.Endpoint;
import io.longshore.api.RuntimeEvent;
import io.longshore.core.ProcessRuntime;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the process runtime does beyond the shared contract: exits, logs, process trees, errors. */
class ProcessRuntimeTest {
    private static final Duration AWAIT = Duration.ofSeconds(20);

    @TempDir
    Path logs;
    private ProcessRuntime runtime;
    private final List<String> started = new ArrayList<>();
    private final List<RuntimeEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void createRuntime() {
        runtime = ProcessRuntime.builder().logDirectory(logs).stateDirectory(logs.resolve("state")).build();
        runtime.watch(events::add);
    }

    @AfterEach
    void stopEverything() {
        started.forEach(id -> runtime.stop(id, Duration.ZERO));
        runtime.close();
    }

    @Test
    void anExitIsReportedWithItsExitCode() {
        ContainerInfo info = start(shell("exit 3"), 21001);

        await().atMost(AWAIT).until(() -> !events.isEmpty());
        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.containerId()).isEqualTo(info.id());
            assertThat(event.kind()).isEqualTo(RuntimeEvent.Kind.EXITED);
            assertThat(event.exitCode()).isEqualTo(3);
        });
    }

    @Test
    void theIdIsPidDashTheProcessId() {
        ContainerInfo info = start(shell("exec sleep 60"), 21002);

        assertThat(info.id()).matches("pid-\\d+");
        assertThat(ProcessHandle.of(Pids.of(info)).map(ProcessHandle::isAlive)).contains(true);
    }

    @Test
    void stdoutAndStderrGoToTheReplicasLogFileUnderItsServiceDirectory() throws IOException {
        ContainerInfo info = start(shell("echo to-stdout; echo to-stderr >&2; sleep 60"), 21003);
        Path expected = logs.resolve("svc").resolve("svc-21003-" + info.id() + ".log");

        assertThat(runtime.logFile(info.id())).contains(expected);
        await().atMost(AWAIT).until(() -> Files.readString(expected).contains("to-stderr"));
        assertThat(Files.readString(expected)).contains("to-stdout");
    }

    @Test
    void aSidecarBesideTheLogNamesTheIdEndpointAndLabels() throws IOException {
        ContainerInfo info = runtime.start(shell("exec sleep 60"), Endpoint.loopback(21004), Map.of("tier", "web"));
        started.add(info.id());
        Path sidecar = logs.resolve("svc").resolve("svc-21004-" + info.id() + ".properties");

        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(sidecar)) {
            properties.load(reader);
        }
        assertThat(properties).containsEntry("id", info.id()).containsEntry("endpoint", "127.0.0.1:21004")
                .containsEntry("label.tier", "web").containsEntry("label.from-spec", "yes");
    }

    @Test
    void theProcessGetsPortHostAndTheSpecsEnvironmentWithPortWinning() throws IOException {
        ContainerSpec spec = shell("echo \"env $PORT $HOST $GREETING\"; sleep 60").toBuilder()
                .env("GREETING", "hello").env("PORT", "1").build();
        ContainerInfo info = start(spec, 21005);
        Path log = runtime.logFile(info.id()).orElseThrow();

        await().atMost(AWAIT).until(() -> Files.readString(log).contains("env "));
        assertThat(Files.readString(log)).contains("env 21005 127.0.0.1 hello");
    }

    @Test
    void stopKillsTheDescendantsOfTheProcessToo() {
        ContainerInfo info = start(shell("sleep 60 & sleep 60 & wait"), 21006);
        ProcessHandle root = ProcessHandle.of(Pids.of(info)).orElseThrow();
        await().atMost(AWAIT).until(() -> root.descendants().count() == 2);
        List<ProcessHandle> tree = new ArrayList<>(root.descendants().toList());
        tree.add(root);

        runtime.stop(info.id(), Duration.ofSeconds(5));

        assertThat(tree).noneMatch(Pids::running);
    }

    @Test
    void aProcessIgnoringSigtermIsKilledAfterTheGracePeriod() {
        ContainerInfo info = start(shell("trap '' TERM; sleep 60 & wait; sleep 60"), 21007);
        ProcessHandle root = ProcessHandle.of(Pids.of(info)).orElseThrow();
        await().atMost(AWAIT).until(() -> root.descendants().count() == 1);
        List<ProcessHandle> tree = new ArrayList<>(root.descendants().toList());
        tree.add(root);

        runtime.stop(info.id(), Duration.ofMillis(300));

        assertThat(tree).noneMatch(Pids::running);
        assertThat(runtime.list(Map.of())).isEmpty();
    }

    @Test
    void aRequestedStopSendsNoExitEvent() {
        ContainerInfo stopped = start(shell("exec sleep 60"), 21008);
        ContainerInfo sentinel = start(shell("exec sleep 60"), 21009);

        runtime.stop(stopped.id(), Duration.ofSeconds(5));
        ProcessHandle.of(Pids.of(sentinel)).orElseThrow().destroyForcibly();

        await().atMost(AWAIT).until(() -> !events.isEmpty());
        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.containerId()).isEqualTo(sentinel.id());
            assertThat(event.exitCode()).isEqualTo(137);
        });
    }

    @Test
    void aThrowingWatcherDoesNotKeepEventsFromTheOthers() {
        runtime.watch(event -> {
            throw new IllegalStateException("watcher bug");
        });
        List<RuntimeEvent> later = new CopyOnWriteArrayList<>();
        runtime.watch(later::add);

        start(shell("exit 0"), 21010);

        await().atMost(AWAIT).until(() -> later.size() == 1 && events.size() == 1);
        assertThat(later.get(0).exitCode()).isZero();
    }

    @Test
    void anUnknownCommandFailsWithAMessageNamingIt() {
        ContainerSpec spec = ContainerSpec.builder("svc").command("/no/such/longshore-binary").build();

        assertThatThrownBy(() -> runtime.start(spec, Endpoint.loopback(21011), Map.of()))
                .isInstanceOf(ContainerRuntimeException.class)
                .hasMessageContaining("/no/such/longshore-binary").hasMessageContaining("svc");
        assertThat(runtime.list(Map.of())).isEmpty();
    }

    @Test
    void aSpecWithOnlyAnImageIsRejectedClearly() {
        ContainerSpec spec = ContainerSpec.builder("svc").image("nginx:1.27").build();

        assertThatThrownBy(() -> runtime.start(spec, Endpoint.loopback(21012), Map.of()))
                .isInstanceOf(ContainerRuntimeException.class).hasMessageContaining("only the image 'nginx:1.27'");
    }

    @Test
    void closeLeavesChildrenRunningAndRefusesNewStarts() {
        ContainerInfo info = start(shell("exec sleep 60"), 21013);

        runtime.close();
        runtime.close();

        assertThat(Pids.running(Pids.of(info))).isTrue();
        assertThatThrownBy(() -> runtime.start(shell("exec sleep 60"), Endpoint.loopback(21014), Map.of()))
                .isInstanceOf(ContainerRuntimeException.class).hasMessageContaining("closed");
    }

    @Test
    void listShowsAnExitedProcessAsNotRunningUntilItIsStopped() {
        ContainerInfo info = start(shell("exit 0"), 21015);

        await().atMost(AWAIT).until(() -> !events.isEmpty());
        assertThat(runtime.list(Map.of("from-spec", "yes"))).singleElement()
                .satisfies(c -> assertThat(c.running()).isFalse());
        runtime.stop(info.id(), Duration.ZERO);
        assertThat(runtime.list(Map.of())).isEmpty();
    }

    @Test
    void aNegativeGraceIsRejected() {
        assertThatThrownBy(() -> runtime.stop("pid-1", Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("grace");
    }

    private ContainerInfo start(ContainerSpec spec, int port) {
        ContainerInfo info = runtime.start(spec, Endpoint.loopback(port), Map.of());
        started.add(info.id());
        return info;
    }

    private static ContainerSpec shell(String script) {
        return ContainerSpec.builder("svc").command("sh", "-c", script).label("from-spec", "yes").build();
    }
}
