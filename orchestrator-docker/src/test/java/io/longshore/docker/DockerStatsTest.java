package io.longshore.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.longshore.api.ContainerInfo;
import io.longshore.api.Endpoint;
import io.longshore.api.ResourceStats;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@RequiresDocker
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DockerStatsTest {
    private DockerTestSupport docker;
    private DockerRuntime runtime;

    @BeforeAll
    void connect() {
        docker = new DockerTestSupport(22_300, 22_399);
        runtime = docker.runtime();
    }

    @AfterAll
    void removeContainers() {
        if (docker != null) {
            docker.close();
        }
    }

    @Test
    void aBusyContainerShowsCpuUseAndMemoryWithinItsLimit() {
        ContainerInfo busy = runtime.start(BusyboxWorkloadImage.spec("stats-test").memoryBytes(32L << 20)
                        .command("sh", "-c", "while :; do :; done").build(),
                Endpoint.loopback(docker.freePort()), docker.labels());

        ResourceStats stats = runtime.stats(busy.id()).orElseThrow();

        assertThat(stats.cpuPercent()).isGreaterThan(0);
        assertThat(stats.memoryBytes()).isPositive();
        assertThat(stats.memoryLimitBytes()).isEqualTo(32L << 20);
    }

    @Test
    void aContainerWithoutAMemoryLimitReportsLimitZero() {
        ContainerInfo idle = runtime.start(BusyboxWorkloadImage.spec("stats-test").build(),
                Endpoint.loopback(docker.freePort()), docker.labels());

        ResourceStats stats = runtime.stats(idle.id()).orElseThrow();

        assertThat(stats.memoryLimitBytes()).isZero();
        assertThat(stats.memoryBytes()).isPositive();
    }

    @Test
    void anUnknownContainerHasNoStats() {
        Optional<ResourceStats> stats = runtime.stats("no-such-container");

        assertThat(stats).isEmpty();
    }
}
