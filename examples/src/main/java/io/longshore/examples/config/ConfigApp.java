package io.longshore.examples.config;

import io.longshore.api.ContainerRuntime;
import io.longshore.core.HttpHealthProbe;
import io.longshore.core.Orchestrator;
import io.longshore.core.OrchestratorBuilder;
import io.longshore.core.ProcessRuntime;
import io.longshore.docker.DockerRuntime;
import io.longshore.examples.acts.DatabaseSettings;
import io.longshore.examples.acts.H2DatabaseServer;
import io.longshore.examples.seed.EventLogger;
import io.longshore.jetty.Gateway;
import io.longshore.jetty.GatewayBuilder;
import io.longshore.jetty.Ownership;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a {@link LongshoreConfig} describes, running: the shared database when the file asks for
 * one, a process runtime (records under {@code dataDir/processes}) for the services with a
 * command, a Docker runtime for those with an image, an orchestrator per service (owned by the
 * gateway) and the gateway in front. {@link #close()} closes the gateway (and with it every
 * orchestrator, which stops its replicas), then the probes, the runtimes and the database.
 * Thread-safe; {@code close()} is idempotent.
 */
public final class ConfigApp implements AutoCloseable {
    /** The embedded database's directory under the data directory (where the seed main keeps it too). */
    static final String DATABASE_DIRECTORY = "acts-db";
    /** The process runtime's records under the data directory (as the seed main's). */
    static final String PROCESS_DIRECTORY = "processes";
    private static final Logger LOG = LoggerFactory.getLogger(ConfigApp.class);

    private final Gateway gateway;
    private final List<Orchestrator> orchestrators;
    private final List<AutoCloseable> resources;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ConfigApp(Gateway gateway, List<Orchestrator> orchestrators, List<AutoCloseable> resources) {
        this.gateway = gateway;
        this.orchestrators = List.copyOf(orchestrators);
        this.resources = List.copyOf(resources);
    }

    /** Starts everything {@code config} describes; on failure closes what it started and rethrows. */
    public static ConfigApp start(LongshoreConfig config) {
        List<AutoCloseable> resources = new ArrayList<>(); // closed last to first
        try {
            Map<String, String> databaseEnv = database(config, resources);
            ContainerRuntime processes = null;
            ContainerRuntime docker = null;
            GatewayBuilder gateway = config.admin().applyTo(config.gateway().applyTo(Gateway.builder()));
            List<Orchestrator> orchestrators = new ArrayList<>();
            for (ServiceSettings service : config.services()) {
                if (service.isContainer() && docker == null) {
                    docker = answeringDocker(config);
                    resources.add(docker);
                } else if (!service.isContainer() && processes == null) {
                    processes = ProcessRuntime.builder().stateDirectory(config.dataDir().resolve(PROCESS_DIRECTORY))
                            .orphans(config.orphans()).build();
                    resources.add(processes);
                }
                Orchestrator orchestrator = orchestrator(service, service.isContainer() ? docker : processes,
                        databaseEnv, resources);
                orchestrators.add(orchestrator);
                gateway.route(service.prefix(), orchestrator, Ownership.OWNED);
            }
            Gateway started = gateway.build().start();
            LOG.info("gateway on http://{}:{}, admin API on http://{}:{}; services: {}", config.gateway().host(),
                    started.port(), config.admin().host(), started.adminPort(), config.services().stream()
                            .map(s -> s.name() + " on " + s.prefix()).collect(Collectors.joining(", ")));
            return new ConfigApp(started, orchestrators, resources);
        } catch (RuntimeException | Error e) {
            Collections.reverse(resources);
            resources.forEach(ConfigApp::closeQuietly);
            throw e;
        }
    }

    /** Starts the embedded database or takes the existing one; the environment that hands it to every replica. */
    private static Map<String, String> database(LongshoreConfig config, List<AutoCloseable> resources) {
        if (config.database().isEmpty()) {
            return Map.of();
        }
        DatabaseSettings settings;
        if (config.database().get().embedded()) {
            try {
                H2DatabaseServer server = H2DatabaseServer.start(config.dataDir().resolve(DATABASE_DIRECTORY));
                resources.add(server);
                LOG.info("the services' database: an H2 server on 127.0.0.1:{}, files in {}", server.port(),
                        server.directory());
                settings = server.settings();
            } catch (IOException e) {
                throw new UncheckedIOException("the embedded database could not start: " + e.getMessage(), e);
            }
        } else {
            settings = config.database().get().existing().orElseThrow();
            LOG.info("the services' database: {}", settings.describe());
        }
        return settings.environment();
    }

    private static Orchestrator orchestrator(ServiceSettings service, ContainerRuntime runtime,
                                             Map<String, String> databaseEnv, List<AutoCloseable> resources) {
        OrchestratorBuilder builder = service.applyTo(Orchestrator.builder())
                .service(service.spec(databaseEnv))
                .runtime(runtime)
                .listener(new EventLogger());
        if (service.probe().type().equals("http")) {
            HttpHealthProbe probe = HttpHealthProbe.of(service.probe().path());
            resources.add(probe);
            builder.healthProbe(probe);
        } // tcp: the builder's default probe, a connect within the probe timeout
        Orchestrator orchestrator = builder.build();
        resources.add(orchestrator); // closed by the gateway once it started; closing twice is harmless
        return orchestrator;
    }

    private static DockerRuntime answeringDocker(LongshoreConfig config) {
        DockerRuntime docker = DockerRuntime.builder().build();
        if (!docker.isAvailable()) {
            docker.close();
            throw new IllegalStateException("services " + config.services().stream().filter(ServiceSettings::isContainer)
                    .map(ServiceSettings::name).toList() + " run images, but no Docker engine answers"
                    + " (DOCKER_HOST or /var/run/docker.sock)");
        }
        return docker;
    }

    /** The gateway's port. */
    public int port() {
        return gateway.port();
    }

    /** The admin API's port; -1 when it is disabled. */
    public int adminPort() {
        return gateway.adminPort();
    }

    /** One orchestrator per service, in file order. */
    public List<Orchestrator> orchestrators() {
        return orchestrators;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closeQuietly(gateway);
        List<AutoCloseable> reversed = new ArrayList<>(resources);
        Collections.reverse(reversed);
        reversed.forEach(ConfigApp::closeQuietly);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.warn("closing {} failed: {}", closeable, e.toString());
        }
    }
}
