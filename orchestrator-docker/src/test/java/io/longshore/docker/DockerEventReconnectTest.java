package io.longshore.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.longshore.api.ContainerInfo;
import io.longshore.api.Endpoint;
import io.longshore.api.RuntimeEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The event stream survives a broken connection: the runtime talks to the engine through a proxy
 * whose connections the test cuts, as an engine restart would.
 */
@RequiresDocker
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DockerEventReconnectTest {
    private static final Path ENGINE_SOCKET = Path.of("/var/run/docker.sock");

    private final List<AutoCloseable> watches = new ArrayList<>();
    private DockerTestSupport docker;
    private EngineConnectionProxy proxy;
    private DockerRuntime proxied;

    @BeforeAll
    void connect() throws IOException {
        docker = new DockerTestSupport(22_500, 22_599);
        proxy = new EngineConnectionProxy(docker.freePort(), ENGINE_SOCKET);
        proxied = DockerRuntime.builder().dockerHost(proxy.dockerHost())
                .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(500)).build();
    }

    @AfterEach
    void closeWatches() throws Exception {
        for (AutoCloseable watch : watches) {
            watch.close();
        }
        watches.clear();
    }

    @AfterAll
    void close() throws IOException {
        if (proxied != null) {
            proxied.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (docker != null) {
            docker.close();
        }
    }

    @Test
    void aWatcherStillHearsOfCrashesAfterItsEventStreamWasCut() {
        ContainerInfo before = startWorkload();
        ContainerInfo after = startWorkload();
        List<RuntimeEvent> events = new CopyOnWriteArrayList<>();
        watches.add(proxied.watch(events::add));
        docker.runtime().client().killContainerCmd(before.id()).exec();
        await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 1);

        proxy.dropConnections();
        docker.runtime().client().killContainerCmd(after.id()).exec();

        await().atMost(Duration.ofSeconds(10)).until(() -> events.size() >= 2);
        assertThat(events).extracting(RuntimeEvent::containerId).containsExactly(before.id(), after.id());
    }

    private ContainerInfo startWorkload() {
        return docker.runtime().start(BusyboxWorkloadImage.spec("reconnect-test").build(),
                Endpoint.loopback(docker.freePort()), docker.labels());
    }
}
