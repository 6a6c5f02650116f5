package io.longshore.core.process;

import io.longshore.api.ContainerRuntime;
import io.longshore.api.ContainerSpec;
import io.longshore.api.Endpoint;
import io.longshore.core.OrphanPolicy;
import io.longshore.core.ProcessRuntime;
import io.longshore.testkit.ContainerRuntimeContract;
import io.longshore.testkit.RuntimeUserJvm;
import io.longshore.testkit.TestWorkload;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/**
 * The process runtime keeps the runtime contract, with a real HTTP workload in a child JVM; its
 * "user dies" case SIGKILLs a JVM that started replicas ({@link ProcessRuntimeUser}), and a new
 * runtime on the same state directory adopts them.
 */
class ProcessRuntimeContractTest extends ContainerRuntimeContract {
    @TempDir
    Path logs;
    @TempDir
    Path state;

    /** The orphan policy every runtime of this test runs with. */
    protected OrphanPolicy orphans() {
        return OrphanPolicy.ADOPT;
    }

    @Override
    protected ContainerRuntime createRuntime() {
        return ProcessRuntime.builder().logDirectory(logs).stateDirectory(state).orphans(orphans()).build();
    }

    @Override
    protected ContainerSpec servingSpec(String service) {
        return ContainerSpec.builder(service).command(TestWorkload.command()).build();
    }

    @Override
    protected void killExternally(String containerId) {
        ProcessHandle.of(Pids.of(containerId)).ifPresent(ProcessHandle::destroyForcibly);
    }

    /** A child JVM can take seconds to start on a loaded 2-core machine; the await ends as soon as it serves. */
    @Override
    protected Duration awaitTimeout() {
        return Duration.ofSeconds(30);
    }

    @Override
    protected boolean isAlive(String containerId) {
        return Pids.running(Pids.of(containerId));
    }

    @Override
    protected List<String> startThroughAUserThatDies(String service, List<Endpoint> endpoints,
                                                     Map<String, String> labels) {
        return RuntimeUserJvm.runThenKill(ProcessRuntimeUser.class,
                ProcessRuntimeUser.args(state, logs, orphans(), service, endpoints, labels), awaitTimeout());
    }

    @Override
    protected boolean containersOutliveTheirUser() {
        return orphans() == OrphanPolicy.ADOPT;
    }
}
