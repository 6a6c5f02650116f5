package io.longshore.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.longshore.api.Clock;
import io.longshore.api.ContainerSpec;
import io.longshore.api.ProbeResult;
import io.longshore.testkit.FakeContainerRuntime;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The orchestrator with its own loop thread and runtime executor, on real time. */
class OwnThreadsTest {

    private static boolean threadAlive(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }

    @Test
    void itRunsOnItsOwnNamedDaemonThreadsAndCloseWaitsForTheReplicasToStop() {
        FakeContainerRuntime runtime = new FakeContainerRuntime(Clock.system());
        Orchestrator orchestrator = Orchestrator.builder()
                .service(ContainerSpec.builder("own-threads").command("server").build())
                .runtime(runtime)
                .initialReplicas(2)
                .healthProbe(backend -> CompletableFuture.completedFuture(ProbeResult.pass()))
                .probeInterval(Duration.ofMillis(20))
                .rise(1)
                .build()
                .start();

        await().atMost(Duration.ofSeconds(10)).until(() -> orchestrator.status().ready() == 2);
        assertThat(threadAlive("longshore-own-threads-loop")).isTrue();
        assertThat(orchestrator.router().routable()).hasSize(2);

        orchestrator.close();

        assertThat(runtime.running()).isEmpty();
        assertThat(runtime.stoppedIds()).hasSize(2);
        await().atMost(Duration.ofSeconds(10)).until(() -> !threadAlive("longshore-own-threads-loop"));
    }
}
