package io.longshore.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.longshore.api.ContainerSpec;
import io.longshore.api.Endpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A process replica's files hold its spec, secrets included: only their owner reads them, and logs leave the spec out. */
class ProcessLogFilesTest {
    @TempDir
    Path root;

    @Test
    void theSidecarOfALogIsReadableByItsOwnerOnly() throws Exception {
        assumeTrue(root.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX permissions");
        ProcessLogFiles files = new ProcessLogFiles(root);
        Path log = files.rename(files.create("acts", 8000), "acts", 8000, "pid-1");

        Path sidecar = files.writeSidecar(log, "pid-1", Endpoint.loopback(8000), List.of("java", "-jar", "a.jar"),
                Map.of("io.longshore.spec", "c2VjcmV0"));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(log))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(sidecar))).isEqualTo("rw-------");
        assertThat(Files.readString(sidecar)).contains("label.io.longshore.spec=c2VjcmV0");
    }

    @Test
    void labelsShownInALogLeaveTheSpecOut() {
        ContainerSpec spec = ContainerSpec.builder("acts").image("acts:1").env("DB_PASSWORD", "hunter2").build();
        Map<String, String> labels = ContainerLabels.of("acts", "acts", "acts-8000-1", 8000, Revision.of(spec, 1), "abc");

        assertThat(labels.get(ContainerLabels.SPEC)).isNotEmpty();
        assertThat(ContainerLabels.withoutSpec(labels)).doesNotContainKey(ContainerLabels.SPEC)
                .containsEntry(ContainerLabels.SPEC_HASH, ContainerLabels.specHash(spec))
                .containsEntry(ContainerLabels.REPLICA, "acts-8000-1").hasSize(labels.size() - 1);
    }
}
