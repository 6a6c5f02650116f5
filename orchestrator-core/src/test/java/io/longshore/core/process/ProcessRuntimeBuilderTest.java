package io.longshore.core.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.longshore.api.ContainerInfo;
import io.longshore.api.ContainerSpec;
import io.longshore.api.Endpoint;
import io.longshore.core.OrphanPolicy;
import io.longshore.core.ProcessRuntime;
import io.longshore.core.ProcessRuntimeBuilder;
import io.longshore.testkit.ManualClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The process runtime's builder validates each setter and applies what it was given. */
class ProcessRuntimeBuilderTest {
    @TempDir
    Path logs;
    @TempDir
    Path work;

    @Test
    void everySetterRejectsBadInputNamingTheParameter() {
        ProcessRuntimeBuilder builder = ProcessRuntime.builder();

        assertThatThrownBy(() -> builder.clock(null)).hasMessageContaining("clock");
        assertThatThrownBy(() -> builder.logDirectory(null)).hasMessageContaining("logDirectory");
        assertThatThrownBy(() -> builder.workingDirectory(null)).hasMessageContaining("workingDirectory");
        assertThatThrownBy(() -> builder.shutdownGrace(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shutdownGrace");
        assertThatThrownBy(() -> builder.shutdownGrace(Duration.ofDays(36_501)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("100 years");
        assertThatThrownBy(() -> builder.stateDirectory(null)).hasMessageContaining("stateDirectory");
        assertThatThrownBy(() -> builder.orphans(null)).hasMessageContaining("orphans");
    }

    @Test
    void theDefaultsAreAdoptionAndAStateDirectoryPerUserUnderTheTempDirectory() {
        try (ProcessRuntime runtime = ProcessRuntime.create()) {
            assertThat(runtime.orphans()).isEqualTo(OrphanPolicy.ADOPT).isEqualTo(ProcessRuntime.DEFAULT_ORPHANS);
            assertThat(runtime.stateDirectory()).isEqualTo(Path.of(System.getProperty("java.io.tmpdir"),
                    "longshore-processes-" + System.getProperty("user.name"))).isDirectory();
        }
    }

    @Test
    void aStateDirectoryThatCannotBeCreatedIsABuildErrorNamingIt() throws Exception {
        Path file = Files.writeString(work.resolve("taken"), "a file");

        assertThatThrownBy(() -> ProcessRuntime.builder().stateDirectory(file.resolve("state")).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(file.resolve("state").toString());
    }

    @Test
    void theBuilderCreatesTheStateDirectoryAndTakesTheOrphanPolicy() {
        Path state = work.resolve("a/b/state");
        try (ProcessRuntime runtime = ProcessRuntime.builder().stateDirectory(state)
                .orphans(OrphanPolicy.DIE_WITH_PARENT).build()) {
            assertThat(state).isDirectory();
            assertThat(runtime.stateDirectory()).isEqualTo(state);
            assertThat(runtime.orphans()).isEqualTo(OrphanPolicy.DIE_WITH_PARENT);
        }
    }

    @Test
    void aStateDirectoryItCreatesIsTheOwnersAloneAndOneOthersMayWriteToIsRefused() throws Exception {
        Path state = work.resolve("private/state");
        try (ProcessRuntime runtime = ProcessRuntime.builder().stateDirectory(state).build()) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state))).isEqualTo("rwx------");
        }
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwxrwxrwx")); // another user could plant records

        assertThatThrownBy(() -> ProcessRuntime.builder().stateDirectory(state).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(state.toString())
                .hasMessageContaining("may be written by other users");
    }

    @Test
    void aStateDirectoryAnotherUserOwnsIsRefused() throws Exception {
        Path state = Files.createDirectory(work.resolve("theirs"));
        UserPrincipal nobody;
        try {
            nobody = state.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
            Files.setOwner(state, nobody); // made first in a shared /tmp by someone else
        } catch (IOException e) {
            Assumptions.abort("changing a directory's owner needs root and a 'nobody' user: " + e);
            return;
        }

        assertThatThrownBy(() -> ProcessRuntime.builder().stateDirectory(state).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("is owned by nobody");
    }

    @Test
    void theDefaultLogDirectoryIsLongshoreLogsUnderTheTempDirectory() {
        try (ProcessRuntime runtime = ProcessRuntime.create()) {
            assertThat(runtime.logDirectory())
                    .isEqualTo(Path.of(System.getProperty("java.io.tmpdir"), "longshore-logs"));
            assertThat(runtime.name()).isEqualTo("process");
        }
    }

    @Test
    void commandsRunInTheWorkingDirectoryAndStartTimesComeFromTheClock() throws Exception {
        ManualClock clock = new ManualClock();
        try (ProcessRuntime runtime = ProcessRuntime.builder().clock(clock).logDirectory(logs).stateDirectory(logs.resolve("state"))
                .workingDirectory(work).build()) {
            ContainerInfo info = runtime.start(ContainerSpec.builder("pwd").command("sh", "-c", "pwd; sleep 60")
                    .build(), Endpoint.loopback(21201), Map.of());
            try {
                Path log = runtime.logFile(info.id()).orElseThrow();
                await().atMost(Duration.ofSeconds(20)).until(() -> Files.readString(log).contains("/"));
                assertThat(Files.readString(log).trim()).isEqualTo(work.toRealPath().toString());
                assertThat(info.startedAt()).isEqualTo(clock.instant());
            } finally {
                runtime.stop(info.id(), Duration.ZERO);
            }
        }
    }
}
