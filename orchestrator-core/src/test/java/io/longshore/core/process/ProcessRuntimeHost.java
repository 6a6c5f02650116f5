package io.longshore.core.process;

import io.longshore.api.ContainerInfo;
import io.longshore.api.ContainerSpec;
import io.longshore.api.Endpoint;
import io.longshore.core.ProcessRuntime;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * A host JVM for {@link ProcessRuntimeJvmExitTest}: builds a process runtime, starts one child
 * with the given shell script, prints the child's id, then either returns from main ({@code exit})
 * or waits forever to be terminated from outside ({@code wait}).
 *
 * <p>Arguments: {@code <log directory> <exit|wait> <script>}.
 */
public final class ProcessRuntimeHost {
    private ProcessRuntimeHost() {
    }

    public static void main(String[] args) throws InterruptedException {
        ProcessRuntime runtime = ProcessRuntime.builder().logDirectory(Path.of(args[0])).stateDirectory(Path.of(args[0], "state"))
                .shutdownGrace(Duration.ofMillis(500)).build();
        ContainerInfo child = runtime.start(ContainerSpec.builder("hosted").command("sh", "-c", args[2]).build(),
                Endpoint.loopback(21999), Map.of());
        System.out.println(child.id());
        System.out.flush();
        if ("wait".equals(args[1])) {
            new CountDownLatch(1).await();
        }
    }
}
