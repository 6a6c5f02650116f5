package io.longshore.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.longshore.api.ContainerInfo;
import io.longshore.api.ContainerSpec;
import io.longshore.api.Endpoint;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * What the Docker tests share: a connected runtime with the workload image built, ports of this
 * module's range, plain HTTP calls to 127.0.0.1, and the clean-up of every container labelled
 * {@link #TEST_LABEL}. One instance per test class; not thread-safe.
 */
final class DockerTestSupport implements AutoCloseable {
    /** Every container a Docker test starts carries {@code io.longshore.test=true}. */
    static final String TEST_LABEL = "io.longshore.test";
    /** ... and this label with a value unique to one test class run, which {@link #close()} removes. */
    static final String RUN_LABEL = "io.longshore.test.run";
    /** ... and the PID namespace of the JVM that ran it, in which its process id means something. */
    static final String PID_NAMESPACE_LABEL = "io.longshore.test.pid-namespace";

    private final DockerRuntime runtime;
    private final Map<String, String> labels;
    private final int lastPort;
    private int nextPort;

    /** Ports are taken from {@code [firstPort, lastPort]}, inside this module's 22000-22999. */
    DockerTestSupport(int firstPort, int lastPort) {
        assertThat(firstPort).isBetween(22_000, 22_999);
        assertThat(lastPort).isBetween(firstPort, 22_999);
        this.nextPort = firstPort;
        this.labels = Map.of(TEST_LABEL, "true", RUN_LABEL,
                "docker-" + ProcessHandle.current().pid() + "-" + firstPort, PID_NAMESPACE_LABEL, pidNamespace());
        this.lastPort = lastPort;
        this.runtime = DockerRuntime.builder().build();
        assertThat(runtime.isAvailable())
                .as("a Docker engine must answer (DOCKER_HOST or /var/run/docker.sock); run scripts/ensure-docker.sh")
                .isTrue();
        BusyboxWorkloadImage.ensure(runtime);
        removeLeftoversOfEndedRuns();
    }

    /**
     * Removes the containers a test run left behind when its JVM was killed before
     * {@link #close()}: an orchestrator of the same service would adopt them. Only runs from this
     * PID namespace whose process is gone are touched; other live runs' containers stay, and so
     * do those of runs in other namespaces (another CI job's container on the same engine).
     */
    private void removeLeftoversOfEndedRuns() {
        for (ContainerInfo info : runtime.list(Map.of(TEST_LABEL, "true", PID_NAMESPACE_LABEL, pidNamespace()))) {
            String run = info.labels().getOrDefault(RUN_LABEL, "");
            String[] parts = run.split("-");
            if (parts.length == 3 && parts[0].equals("docker") && parts[1].matches("[0-9]{1,10}")
                    && ProcessHandle.of(Long.parseLong(parts[1])).isEmpty()) {
                runtime.stop(info.id(), Duration.ZERO);
            }
        }
    }

    /** This JVM's PID namespace ({@code pid:[4026531836]}), or "unknown" where /proc cannot tell. */
    private static String pidNamespace() {
        try {
            return java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/ns/pid")).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return "unknown";
        }
    }

    DockerRuntime runtime() {
        return runtime;
    }

    /** The labels of this class's containers: {@link #TEST_LABEL} and its own {@link #RUN_LABEL}. */
    Map<String, String> labels() {
        return labels;
    }

    /** {@code spec} with {@link #labels()} added to its labels. */
    ContainerSpec.Builder labelled(ContainerSpec.Builder spec) {
        labels.forEach(spec::label);
        return spec;
    }

    /** The next port of the range that is free on 127.0.0.1 right now. */
    int freePort() {
        while (nextPort <= lastPort) {
            int port = nextPort++;
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (IOException inUse) {
                // try the next one
            }
        }
        throw new IllegalStateException("no free port left up to " + lastPort);
    }

    /** Whether {@code port} is free on 127.0.0.1 right now. */
    boolean freePortIs(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort() == port;
        } catch (IOException inUse) {
            return false;
        }
    }

    /** The status of {@code method path} on 127.0.0.1:port, or -1 when nothing answers. */
    static int status(int port, String method, String path) {
        return call(port, method, path).status();
    }

    static Response call(int port, String method, String path) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create("http://" + Endpoint.LOOPBACK + ":" + port + path)
                    .toURL().openConnection();
            connection.setRequestMethod(method);
            connection.setConnectTimeout((int) Duration.ofSeconds(1).toMillis());
            connection.setReadTimeout((int) Duration.ofSeconds(3).toMillis());
            int status = connection.getResponseCode();
            var stream = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
            String body = stream == null ? "" : new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            String replica = connection.getHeaderField("X-Replica");
            String version = connection.getHeaderField("X-Version");
            connection.disconnect();
            return new Response(status, body, replica, version);
        } catch (IOException e) {
            return new Response(-1, e.toString(), null, null);
        }
    }

    /** One HTTP answer, with its {@code X-Replica} and {@code X-Version} headers. */
    record Response(int status, String body, String replica, String version) {
    }

    /** Removes every container of this class run (other helpers' containers stay) and closes the runtime. */
    @Override
    public void close() {
        try {
            for (ContainerInfo info : runtime.list(Map.of(RUN_LABEL, labels.get(RUN_LABEL)))) {
                runtime.stop(info.id(), Duration.ZERO);
            }
        } finally {
            runtime.close();
        }
    }
}
