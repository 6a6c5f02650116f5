package io.longshore.core.process;

import io.longshore.api.ContainerSpec;
import io.longshore.api.Endpoint;
import io.longshore.core.OrphanPolicy;
import io.longshore.core.ProcessRuntime;
import io.longshore.testkit.RuntimeUserJvm;
import io.longshore.testkit.TestWorkload;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A process runtime's user in its own JVM, for the contract's "user dies" case: builds a runtime
 * on the given directories and orphan policy, starts one test workload per port, reports the ids
 * and waits to be killed ({@link RuntimeUserJvm}).
 *
 * <p>Arguments: {@code <state dir> <log dir> <ADOPT|DIE_WITH_PARENT> <service> <port,port,...> [key=value ...]
 * [-- command ...]}; without a command, each replica is a {@link TestWorkload}.
 */
public final class ProcessRuntimeUser {
    private ProcessRuntimeUser() {
    }

    /** The arguments {@link #main} expects, for test workloads. */
    public static List<String> args(Path state, Path logs, OrphanPolicy orphans, String service, List<Endpoint> endpoints,
                                    Map<String, String> labels) {
        List<String> args = new ArrayList<>(List.of(state.toString(), logs.toString(), orphans.name(), service,
                String.join(",", endpoints.stream().map(e -> Integer.toString(e.port())).toList())));
        labels.forEach((key, value) -> args.add(key + "=" + value));
        return args;
    }

    /** The arguments {@link #main} expects, for replicas running {@code command}. */
    public static List<String> args(Path state, Path logs, OrphanPolicy orphans, String service, List<Endpoint> endpoints,
                                    Map<String, String> labels, List<String> command) {
        List<String> args = args(state, logs, orphans, service, endpoints, labels);
        args.add("--");
        args.addAll(command);
        return args;
    }

    public static void main(String[] args) throws InterruptedException {
        ProcessRuntime runtime = ProcessRuntime.builder().stateDirectory(Path.of(args[0])).logDirectory(Path.of(args[1]))
                .orphans(OrphanPolicy.valueOf(args[2])).build();
        Map<String, String> labels = new HashMap<>();
        List<String> command = TestWorkload.command();
        for (int i = 5; i < args.length; i++) {
            if (args[i].equals("--")) {
                command = List.of(args).subList(i + 1, args.length);
                break;
            }
            int equals = args[i].indexOf('=');
            labels.put(args[i].substring(0, equals), args[i].substring(equals + 1));
        }
        ContainerSpec spec = ContainerSpec.builder(args[3]).command(command).build();
        List<String> ids = new ArrayList<>();
        for (String port : args[4].split(",")) {
            ids.add(runtime.start(spec, Endpoint.loopback(Integer.parseInt(port)), labels).id());
        }
        RuntimeUserJvm.reportAndWait(ids);
    }
}
