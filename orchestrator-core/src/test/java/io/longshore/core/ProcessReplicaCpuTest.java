package io.longshore.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.longshore.api.Endpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a process replica's CPU readings count: only time since it was taken on, exited children included. */
class ProcessReplicaCpuTest {
    private static final long SECOND = 1_000_000_000L;

    @TempDir
    Path dir;

    private static ProcessRecord record() {
        return new ProcessRecord("pid-4242", new ProcessIdentity(4242, 99), Endpoint.loopback(8000), Map.of(),
                "abc123", Path.of("/tmp/acts-8000-pid-4242.log"), Instant.parse("2025-01-02T03:04:05Z"),
                OrphanPolicy.ADOPT, Optional.empty());
    }

    @Test
    void anAdoptedReplicasFirstSampleCountsOnlyTheCpuItUsedSinceItWasAdopted() {
        AtomicLong treeCpu = new AtomicLong(500 * SECOND);
        ProcessReplica adopted = new ProcessReplica(record(), Optional.empty(), null, false,
                roots -> new TreeUsage(treeCpu.get(), 0), 0);
        treeCpu.addAndGet(SECOND / 10);

        assertThat(adopted.sample(SECOND).cpuPercent()).isEqualTo(10.0);
    }

    @Test
    void aStatLineGivesTheCpuOfTheProcessAndOfTheChildrenItWaitedFor() {
        String stat = "1234 (a (b) c) S 1 1234 1234 0 -1 4194304 100 0 0 0 250 50 700 300 20 0 1 0 12345 0 0";

        assertThat(TreeUsage.cpuNanos(stat)).hasValue((250 + 50 + 700 + 300) * SECOND / TreeUsage.TICKS_PER_SECOND);
    }

    @Test
    void theTreesCpuKeepsWhatAChildThatExitedUsed() throws IOException {
        Path childStat = dir.resolve("child.stat");
        // the child burns CPU, records its own stat just before it exits; the root then waits as sleep
        Process root = new ProcessBuilder("sh", "-c", "sh -c 'i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done;"
                + " cat /proc/$$/stat > " + childStat + "'; exec sleep 60").start();
        try {
            ProcessHandle handle = root.toHandle();
            await().atMost(Duration.ofSeconds(60)).until(() -> handle.info().command().orElse("").endsWith("sleep"));
            long childCpu = TreeUsage.cpuNanos(Files.readString(childStat)).orElseThrow();

            long treeCpu = TreeUsage.Reader.ofProcfs().read(List.of(handle)).cpuNanos();

            assertThat(childCpu).as("CPU the child used").isPositive();
            assertThat(treeCpu).as("CPU of the tree, now only sleep").isGreaterThanOrEqualTo(childCpu);
        } finally {
            root.destroyForcibly();
        }
    }
}
