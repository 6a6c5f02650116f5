package io.longshore.core.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.longshore.api.ContainerInfo;
import io.longshore.api.ContainerSpec;
import io.longshore.api.Endpoint;
import io.longshore.api.ResourceStats;
import io.longshore.core.ProcessRuntime;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** The process runtime reads CPU and resident memory of a replica's process tree. */
@EnabledOnOs(OS.LINUX)
class ProcessRuntimeStatsTest {
    @TempDir
    Path logs;
    private ProcessRuntime runtime;

    @BeforeEach
    void createRuntime() {
        runtime = ProcessRuntime.builder().logDirectory(logs).stateDirectory(logs.resolve("state")).build();
    }

    @AfterEach
    void closeRuntime() {
        runtime.list(Map.of()).forEach(c -> runtime.stop(c.id(), Duration.ZERO));
        runtime.close();
    }

    @Test
    void aBusyProcessShowsCpuUseAndResidentMemory() {
        ContainerInfo info = runtime.start(ContainerSpec.builder("busy")
                .command("sh", "-c", "while :; do :; done").build(), Endpoint.loopback(21101), Map.of());

        await().atMost(Duration.ofSeconds(10)).until(() -> cpuOf(info) > 0);
        ResourceStats stats = runtime.stats(info.id()).orElseThrow();
        assertThat(stats.memoryBytes()).isPositive();
        assertThat(stats.memoryLimitBytes()).isZero();
    }

    @Test
    void anUnknownOrStoppedProcessHasNoStats() {
        ContainerInfo info = runtime.start(ContainerSpec.builder("idle").command("sleep", "60").build(),
                Endpoint.loopback(21102), Map.of());
        runtime.stop(info.id(), Duration.ZERO);

        assertThat(runtime.stats(info.id())).isEmpty();
        assertThat(runtime.stats("pid-0")).isEmpty();
    }

    private double cpuOf(ContainerInfo info) {
        return runtime.stats(info.id()).map(ResourceStats::cpuPercent).orElse(0.0);
    }
}
