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
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state directory behind adoption: what a start records and a stop removes, which records a
 * runtime adopts (live process, owner JVM gone), which it deletes (process gone, pid reused) and
 * which it leaves alone (held by a live JVM), and what an adopted replica's children do.
 */
class ProcessRuntimeAdoptionTest {
    private static final Duration AWAIT = Duration.ofSeconds(30);
    private static final Map<String, String> LABELS = Map.of("io.longshore.test", "adoption");

    @TempDir
    Path logs;
    @TempDir
    Path state;
    private final List<ProcessRuntime> runtimes = new ArrayList<>();
    private final List<Process> helpers = new ArrayList<>();

    @AfterEach
    void stopEverything() {
        for (ProcessRuntime runtime : runtimes) {
            runtime.list(Map.of()).forEach(c -> runtime.stop(c.id(), Duration.ZERO));
            runtime.close();
        }
        helpers.forEach(Process::destroyForcibly);
    }

    @Test
    void aStartRecordsTheReplicaAndAStopDeletesTheRecord() throws IOException {
        ProcessRuntime runtime = runtime(OrphanPolicy.ADOPT);
        ContainerInfo info = runtime.start(shell("exec sleep 60"), Endpoint.loopback(21301), LABELS);

        Properties record = read(state.resolve(info.id() + ".properties"));
        assertThat(record).containsEntry("id", info.id()).containsEntry("endpoint", "127.0.0.1:21301")
                .containsEntry("label.io.longshore.test", "adoption").containsEntry("orphans", "ADOPT")
                .containsEntry("logFile", runtime.logFile(info.id()).orElseThrow().toString())
                .containsKeys("specHash", "startedAt", "owner");
        assertThat(record.getProperty("process")).startsWith(Pids.of(info) + "@");

        runtime.stop(info.id(), Duration.ZERO);

        assertThat(recordFiles()).isEmpty();
    }

    @Test
    void theRecordOfAReplicaThatDiedWithItsUserIsDeletedAndNothingIsAdopted() {
        List<String> left = startThroughADeadUser(List.of("sh", "-c", "exec sleep 60"), 21302);
        ProcessHandle.of(Pids.of(left.get(0))).ifPresent(ProcessHandle::destroyForcibly);
        await().atMost(AWAIT).until(() -> !Pids.running(Pids.of(left.get(0))));

        assertThat(runtime(OrphanPolicy.ADOPT).list(LABELS)).isEmpty();
        assertThat(recordFiles()).isEmpty();
    }

    @Test
    void anAdoptedReplicaKeepsItsLogFileAndHasStats() {
        List<String> left = startThroughADeadUser(List.of("sh", "-c", "echo adopted-output; exec sleep 60"), 21303);
        ProcessRuntime runtime = runtime(OrphanPolicy.ADOPT);

        assertThat(runtime.list(LABELS)).extracting(ContainerInfo::id).containsExactly(left.get(0));
        Path log = runtime.logFile(left.get(0)).orElseThrow();
        await().atMost(AWAIT).until(() -> Files.readString(log).contains("adopted-output"));
        assertThat(runtime.stats(left.get(0))).hasValueSatisfying(stats -> assertThat(stats.memoryBytes()).isPositive());
    }

    @Test
    void anAdoptedReplicasChildrenLiveOnWithItAndAreStoppedWithIt() {
        List<String> left = startThroughADeadUser(List.of("sh", "-c", "sleep 60 & sleep 60 & wait"), 21304);
        ProcessHandle replica = ProcessHandle.of(Pids.of(left.get(0))).orElseThrow();
        await().atMost(AWAIT).until(() -> replica.descendants().count() == 2);
        List<ProcessHandle> tree = new ArrayList<>(replica.descendants().toList());
        tree.add(replica);
        ProcessRuntime runtime = runtime(OrphanPolicy.ADOPT);
        assertThat(runtime.list(LABELS)).hasSize(1);

        runtime.stop(left.get(0), Duration.ofSeconds(5));

        assertThat(tree).noneMatch(Pids::running);
        assertThat(recordFiles()).isEmpty();
    }

    @Test
    void theRecordsOfAJvmThatStillRunsAreNeverAdoptedNotEvenInTheSameJvm() {
        ProcessRuntime first = runtime(OrphanPolicy.ADOPT);
        ContainerInfo info = first.start(shell("exec sleep 60"), Endpoint.loopback(21305), LABELS);
        ProcessRuntime second = runtime(OrphanPolicy.ADOPT);

        assertThat(second.list(LABELS)).isEmpty();
        assertThat(first.list(LABELS)).extracting(ContainerInfo::id).containsExactly(info.id());
    }

    @Test
    void closeReleasesTheRunningReplicasSoTheNextRuntimeAdoptsThem() {
        ProcessRuntime first = runtime(OrphanPolicy.ADOPT);
        ContainerInfo info = first.start(shell("exec sleep 60"), Endpoint.loopback(21306), LABELS);
        first.close();
        ProcessRuntime second = runtime(OrphanPolicy.ADOPT);
        List<RuntimeEvent> events = new CopyOnWriteArrayList<>();
        second.watch(events::add);

        assertThat(second.list(LABELS)).extracting(ContainerInfo::id).containsExactly(info.id());
        ProcessHandle.of(Pids.of(info)).orElseThrow().destroyForcibly();

        await().atMost(AWAIT).until(() -> events.size() == 1);
        assertThat(events.get(0)).satisfies(event -> {
            assertThat(event.containerId()).isEqualTo(info.id());
            assertThat(event.kind()).isEqualTo(RuntimeEvent.Kind.EXITED);
            assertThat(event.exitCode()).as("not a child of the adopting runtime: unknown").isEqualTo(-1);
        });
    }

    @Test
    void aRecordWhoseOwnerStillRunsIsLeftAloneUntilTheOwnerDies() throws Exception {
        Process owner = helper();
        Process replica = helper();
        writeRecord("pid-" + replica.pid(), identity(replica.pid()), identity(owner.pid()));
        ProcessRuntime runtime = runtime(OrphanPolicy.ADOPT);
        assertThat(runtime.list(LABELS)).isEmpty();

        owner.destroyForcibly().waitFor();

        assertThat(runtime.list(LABELS)).extracting(ContainerInfo::id).containsExactly("pid-" + replica.pid());
    }

    @Test
    void aPidNowUsedByAnotherProcessIsNotAdoptedAndItsRecordIsDeleted() throws Exception {
        Process other = helper();
        long start = Long.parseLong(identity(other.pid()).split("@")[1]);
        writeRecord("pid-" + other.pid(), other.pid() + "@" + (start - 1), "1@1");

        assertThat(runtime(OrphanPolicy.ADOPT).list(LABELS)).isEmpty();

        assertThat(recordFiles()).isEmpty();
        assertThat(other.isAlive()).isTrue();
    }

    @Test
    void underDieWithParentASurvivorOfADeadJvmIsStoppedInsteadOfAdopted() throws Exception {
        Process survivor = helper();
        writeRecord("pid-" + survivor.pid(), identity(survivor.pid()), "1@1");

        assertThat(runtime(OrphanPolicy.DIE_WITH_PARENT).list(LABELS)).isEmpty();

        await().atMost(AWAIT).until(() -> !survivor.isAlive());
        assertThat(recordFiles()).isEmpty();
    }

    @Test
    void aReplicaThatCannotBeRecordedIsStoppedAndTheStartFailsNamingTheDirectory() throws IOException {
        ProcessRuntime runtime = runtime(OrphanPolicy.ADOPT);
        Files.delete(state);
        Files.writeString(state, "not a directory");

        assertThatThrownBy(() -> runtime.start(shell("exec sleep 60"), Endpoint.loopback(21307), LABELS))
                .isInstanceOf(ContainerRuntimeException.class).hasMessageContaining(state.toString());
        assertThat(runtime.list(Map.of())).isEmpty();
        Files.delete(state);
        Files.createDirectory(state);
    }

    private ProcessRuntime runtime(OrphanPolicy orphans) {
        ProcessRuntime runtime = ProcessRuntime.builder().logDirectory(logs).stateDirectory(state).orphans(orphans)
                .build();
        runtimes.add(runtime);
        return runtime;
    }

    private List<String> startThroughADeadUser(List<String> command, int port) {
        return RuntimeUserJvm.runThenKill(ProcessRuntimeUser.class, ProcessRuntimeUser.args(state, logs,
                OrphanPolicy.ADOPT, "left", List.of(Endpoint.loopback(port)), LABELS, command), AWAIT);
    }

    private Process helper() throws IOException {
        Process process = new ProcessBuilder("sleep", "60").start();
        helpers.add(process);
        return process;
    }

    /** {@code <pid>@<start ticks>} from /proc, as the runtime writes it. */
    private static String identity(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return pid + "@" + fields[19];
    }

    private void writeRecord(String id, String process, String owner) throws IOException {
        Files.writeString(state.resolve(id + ".properties"), String.join("\n", "id=" + id, "process=" + process,
                "endpoint=127.0.0.1:21399", "specHash=abc", "logFile=" + logs.resolve("x.log"),
                "startedAt=2025-01-01T00:00:00Z", "orphans=ADOPT", "owner=" + owner,
                "label.io.longshore.test=adoption") + "\n");
    }

    private List<Path> recordFiles() {
        try (Stream<Path> files = Files.list(state)) {
            return files.filter(file -> file.toString().endsWith(".properties")).toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Properties read(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        }
        return properties;
    }

    private static ContainerSpec shell(String script) {
        return ContainerSpec.builder("svc").command("sh", "-c", script).build();
    }
}
