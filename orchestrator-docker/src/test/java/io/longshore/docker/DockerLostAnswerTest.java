package io.longshore.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.longshore.api.ContainerInfo;
import io.longshore.api.ContainerRuntimeException;
import io.longshore.api.ContainerSpec;
import io.longshore.api.Endpoint;
import io.longshore.api.RuntimeEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A create or start the engine carried out but whose answer never arrived (a response timeout)
 * leaves no container behind: nobody would own it, and it would hold the replica's port.
 */
@RequiresDocker
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DockerLostAnswerTest {
    private static final Path ENGINE_SOCKET = Path.of("/var/run/docker.sock");

    private DockerTestSupport docker;
    private EngineConnectionProxy proxy;
    private DockerRuntime proxied;

    @BeforeAll
    void connect() {
        docker = new DockerTestSupport(22_900, 22_949);
    }

    @BeforeEach
    void openProxy() throws IOException {
        proxy = new EngineConnectionProxy(docker.freePort(), ENGINE_SOCKET);
        proxied = DockerRuntime.builder().dockerHost(proxy.dockerHost()).responseTimeout(Duration.ofSeconds(2)).build();
    }

    @AfterEach
    void closeProxy() throws IOException {
        proxied.close();
        proxy.close();
    }

    @AfterAll
    void close() {
        if (docker != null) {
            docker.close();
        }
    }

    private ContainerSpec workload() {
        return docker.labelled(BusyboxWorkloadImage.spec("lost-answer")).build();
    }

    @Test
    void aStartWhoseAnswerIsLostThrowsWithTheContainerIdAndLeavesNoContainer() {
        proxy.loseAnswersToPostsOf("/start");

        assertThatThrownBy(() -> proxied.start(workload(), Endpoint.loopback(docker.freePort()), docker.labels()))
                .isInstanceOfSatisfying(ContainerRuntimeException.class,
                        e -> assertThat(e.containerId()).as("id of the container whose start was lost").isNotNull());
        assertThat(docker.runtime().list(docker.labels())).as("containers left by a start that threw").isEmpty();
    }

    @Test
    void aCreateWhoseAnswerIsLostLeavesNoContainer() {
        proxy.loseAnswersToPostsOf("/containers/create");

        assertThatThrownBy(() -> proxied.start(workload(), Endpoint.loopback(docker.freePort()), docker.labels()))
                .isInstanceOf(ContainerRuntimeException.class);
        assertThat(docker.runtime().list(docker.labels())).as("containers left by a create that threw").isEmpty();
    }

    @Test
    void theContainerOfAStartWhoseAnswerIsLostIsRemovedWithoutBeingReportedAsAnExit() throws Exception {
        List<RuntimeEvent> events = new CopyOnWriteArrayList<>();
        try (AutoCloseable watch = proxied.watch(events::add)) {
            ContainerInfo sentinel = proxied.start(workload(), Endpoint.loopback(docker.freePort()), docker.labels());
            proxy.loseAnswersToPostsOf("/start");
            String lost = catchThrowableOfType(
                    () -> proxied.start(workload(), Endpoint.loopback(docker.freePort()), docker.labels()),
                    ContainerRuntimeException.class).containerId();

            // the engine streams the sentinel's die after the one of the container the runtime removed
            docker.runtime().client().killContainerCmd(sentinel.id()).exec();

            await().atMost(Duration.ofSeconds(10)).until(() -> events.stream().anyMatch(e -> e.containerId().equals(sentinel.id())));
            docker.runtime().stop(sentinel.id(), Duration.ZERO);
            assertThat(events).as("exits of the two containers").filteredOn(e -> Set.of(lost, sentinel.id()).contains(e.containerId()))
                    .extracting(RuntimeEvent::containerId).containsExactly(sentinel.id());
        }
    }
}
