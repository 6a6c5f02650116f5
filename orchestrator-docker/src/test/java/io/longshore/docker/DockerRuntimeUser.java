package io.longshore.docker;

import io.longshore.api.ContainerSpec;
import io.longshore.api.Endpoint;
import io.longshore.testkit.RuntimeUserJvm;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Docker runtime's user in its own JVM, for the contract's "user dies" case: starts one busybox
 * workload container per port, reports the ids and waits to be killed ({@link RuntimeUserJvm}).
 * The engine keeps the containers running; the JVM that asked for them is gone.
 *
 * <p>Arguments: {@code <service> <port,port,...> [key=value ...]}.
 */
public final class DockerRuntimeUser {
    private DockerRuntimeUser() {
    }

    /** The arguments {@link #main} expects. */
    static List<String> args(String service, List<Endpoint> endpoints, Map<String, String> labels) {
        List<String> args = new ArrayList<>(List.of(service,
                String.join(",", endpoints.stream().map(e -> Integer.toString(e.port())).toList())));
        labels.forEach((key, value) -> args.add(key + "=" + value));
        return args;
    }

    public static void main(String[] args) throws InterruptedException {
        DockerRuntime runtime = DockerRuntime.builder().build();
        ContainerSpec spec = BusyboxWorkloadImage.spec(args[0]).label(DockerTestSupport.TEST_LABEL, "true").build();
        Map<String, String> labels = new HashMap<>();
        for (int i = 2; i < args.length; i++) {
            int equals = args[i].indexOf('=');
            labels.put(args[i].substring(0, equals), args[i].substring(equals + 1));
        }
        List<String> ids = new ArrayList<>();
        for (String port : args[1].split(",")) {
            ids.add(runtime.start(spec, Endpoint.loopback(Integer.parseInt(port)), labels).id());
        }
        RuntimeUserJvm.reportAndWait(ids);
    }
}
