package io.longshore.examples.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.longshore.api.Clock;
import io.longshore.api.ContainerRuntime;
import io.longshore.api.ContainerSpec;
import io.longshore.api.OrchestratorEvent;
import io.longshore.api.ReplicaState;
import io.longshore.core.HttpHealthProbe;
import io.longshore.core.Orchestrator;
import io.longshore.core.ReplicaView;
import io.longshore.core.RolloutConfig;
import io.longshore.jetty.AccessLog;
import io.longshore.jetty.Gateway;
import io.micrometer.core.instrument.Counter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * One service under chaos: an orchestrator running {@code replicas} replicas of a spec on a
 * runtime, with the HTTP health probe, and a gateway in front of it on an ephemeral port. The
 * knobs are the fault-tolerance settings documented in docs/fault-tolerance.md, and a quick rollout
 * (minReady 1 s, progress deadline 30 s; a replica's port range has room for the surge). Closes what it
 * created (gateway, orchestrator, probe), never the runtime. Thread-safe for its queries.
 */
final class ChaosCluster implements AutoCloseable {
    static final String HEALTH_PATH = "/api/v1/_health";
    static final Duration PROBE_INTERVAL = Duration.ofMillis(500);
    static final Duration GATEWAY_RESPONSE_TIMEOUT = Duration.ofSeconds(2);
    static final Duration AWAIT = Duration.ofSeconds(60);
    static final RolloutConfig ROLLOUT = RolloutConfig.builder().minReady(Duration.ofSeconds(1))
            .progressDeadline(Duration.ofSeconds(30)).build();

    final Clock clock = Clock.system();
    final List<OrchestratorEvent> events = new CopyOnWriteArrayList<>();
    private final HttpHealthProbe probe;
    private final Orchestrator orchestrator;
    private final Gateway gateway;
    private final int basePort;
    private final Path accessLog;

    ChaosCluster(ContainerRuntime runtime, ContainerSpec spec, int basePort, int replicas) {
        assertThat(basePort).isBetween(26_000, 26_999 - replicas - 1);
        for (int port = basePort; port <= basePort + replicas; port++) {
            assertThat(isFree(port)).as("chaos port %d is free", port).isTrue();
        }
        this.basePort = basePort;
        this.accessLog = accessLogFile(basePort);
        this.probe = HttpHealthProbe.builder(HEALTH_PATH)
                .connectTimeout(Duration.ofMillis(300)).responseTimeout(PROBE_INTERVAL).build();
        this.orchestrator = Orchestrator.builder().service(spec).runtime(runtime)
                .minReplicas(1).maxReplicas(replicas).initialReplicas(replicas).basePort(basePort)
                .healthProbe(probe).probeInterval(PROBE_INTERVAL).probeTimeout(PROBE_INTERVAL)
                .rise(2).fall(3).startGracePeriod(Duration.ofSeconds(10))
                .scalingInterval(Duration.ofHours(1))
                .restartBackoff(Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofMinutes(10))
                .drainTimeout(Duration.ofSeconds(30))
                .rollout(ROLLOUT)
                .listener(events::add)
                .build();
        this.gateway = Gateway.builder().port(0).adminPort(0).route("/", orchestrator)
                .responseTimeout(GATEWAY_RESPONSE_TIMEOUT).connectTimeout(Duration.ofMillis(500))
                .accessLog(AccessLog.toFile(accessLog, AccessLog.Format.JSON))
                .build();
    }

    /** Starts the replicas and the gateway and waits until every replica is ready. */
    ChaosCluster start(int replicas) {
        orchestrator.start();
        gateway.start();
        awaitReady(replicas, Optional.empty());
        return this;
    }

    /** Waits until {@code replicas} replicas are READY and none of them runs {@code notContainer}. */
    void awaitReady(int replicas, Optional<String> notContainer) {
        await().atMost(AWAIT).pollInterval(Duration.ofMillis(20)).until(() -> isReady(replicas, notContainer));
    }

    boolean isReady(int replicas, Optional<String> notContainer) {
        List<ReplicaView> views = orchestrator.replicas();
        return views.size() == replicas
                && views.stream().allMatch(v -> v.state() == ReplicaState.READY)
                && views.stream().noneMatch(v -> notContainer.isPresent() && v.containerId().equals(notContainer.get()));
    }

    /** The replica now serving {@code port}. */
    ReplicaView replicaOn(int port) {
        return orchestrator.replicas().stream().filter(v -> v.port() == port).findFirst()
                .orElseThrow(() -> new AssertionError("no replica on port " + port + ": " + orchestrator.replicas()));
    }

    int basePort() {
        return basePort;
    }

    Orchestrator orchestrator() {
        return orchestrator;
    }

    /** A URI through the gateway. */
    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + gateway.port() + pathAndQuery);
    }

    /** Requests the gateway sent again to another replica (connect failures and budgeted retries). */
    long retries() {
        Counter counter = gateway.meterRegistry().find("longshore.gateway.retries").counter();
        return counter == null ? 0 : (long) counter.count();
    }

    /** Answers the gateway shaped itself, by kind, as {@code kind=n} for the non-zero ones. */
    String proxyErrors() {
        StringBuilder text = new StringBuilder();
        for (Counter counter : gateway.meterRegistry().find("longshore.gateway.proxy.errors").counters()) {
            if (counter.count() > 0) {
                text.append(text.length() == 0 ? "" : ",").append(counter.getId().getTag("kind"))
                        .append('=').append((long) counter.count());
            }
        }
        return text.length() == 0 ? "none" : text.toString();
    }

    /**
     * The gateway's access-log lines of the requests that were retried or not answered 2xx (at
     * most {@code limit}): which replicas a lost request went to, and how long each attempt took.
     */
    List<String> troubledRequests(int limit) {
        try (Stream<String> lines = Files.lines(accessLog)) {
            return lines.filter(line -> !line.contains("\"retries\":0,") || !line.contains("\"status\":2"))
                    .limit(limit).toList();
        } catch (IOException e) {
            return List.of("the access log " + accessLog + " could not be read: " + e);
        }
    }

    /** A fresh file under target/chaos-access for the gateway's JSON access log. */
    private static Path accessLogFile(int basePort) {
        try {
            Path directory = Files.createDirectories(Path.of("target", "chaos-access"));
            Path file = directory.resolve(basePort + ".log");
            Files.deleteIfExists(file);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            gateway.close();
        } finally {
            try {
                orchestrator.close();
            } finally {
                probe.close();
            }
        }
    }

    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort() == port;
        } catch (IOException inUse) {
            return false;
        }
    }
}
