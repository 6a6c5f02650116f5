package io.longshore.core.process;

import io.longshore.api.ContainerRuntime;
import io.longshore.api.ContainerSpec;
import io.longshore.core.ProcessRuntime;
import io.longshore.testkit.ContainerRuntimeContract;
import io.longshore.testkit.TestWorkload;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;

/** The process runtime keeps the runtime contract, with a real HTTP workload in a child JVM. */
class ProcessRuntimeContractTest extends ContainerRuntimeContract {
    @TempDir
    Path logs;

    @Override
    protected ContainerRuntime createRuntime() {
        return ProcessRuntime.builder().logDirectory(logs).build();
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
}
