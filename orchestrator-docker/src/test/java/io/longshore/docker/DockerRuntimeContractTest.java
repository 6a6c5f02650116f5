package io.longshore.docker;

import com.github.dockerjava.api.exception.NotFoundException;
import io.longshore.api.ContainerRuntime;
import io.longshore.api.ContainerSpec;
import io.longshore.api.Endpoint;
import io.longshore.testkit.ContainerRuntimeContract;
import io.longshore.testkit.RuntimeUserJvm;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;

/** The runtime contract every runtime passes, against a real engine with the busybox workload. */
@RequiresDocker
class DockerRuntimeContractTest extends ContainerRuntimeContract {
    private static final int LAST_PORT = 22_099;
    private int nextPort = 22_000;

    @BeforeAll
    static void buildWorkloadImage() {
        try (DockerRuntime runtime = DockerRuntime.builder().build()) {
            BusyboxWorkloadImage.ensure(runtime);
        }
    }

    @Override
    protected ContainerRuntime createRuntime() {
        return DockerRuntime.builder().build();
    }

    @Override
    protected ContainerSpec servingSpec(String service) {
        return BusyboxWorkloadImage.spec(service).label(DockerTestSupport.TEST_LABEL, "true").build();
    }

    @Override
    protected void killExternally(String containerId) {
        docker().client().killContainerCmd(containerId).exec();
    }

    @Override
    protected boolean isAlive(String containerId) {
        try {
            return Boolean.TRUE.equals(docker().client().inspectContainerCmd(containerId).exec().getState().getRunning());
        } catch (NotFoundException gone) {
            return false;
        }
    }

    /** The user is a JVM running a Docker runtime ({@link DockerRuntimeUser}); the engine outlives it. */
    @Override
    protected List<String> startThroughAUserThatDies(String service, List<Endpoint> endpoints,
                                                     Map<String, String> labels) {
        return RuntimeUserJvm.runThenKill(DockerRuntimeUser.class, DockerRuntimeUser.args(service, endpoints, labels),
                Duration.ofSeconds(60));
    }

    /** Ports of this class's slice (22000-22099) of the module's range, each handed out once per test. */
    @Override
    protected int freePort() {
        while (nextPort <= LAST_PORT) {
            int port = nextPort++;
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (IOException inUse) {
                // next one
            }
        }
        throw new IllegalStateException("no free port left in 22000-" + LAST_PORT);
    }

    private DockerRuntime docker() {
        return (DockerRuntime) runtime();
    }
}
