package io.longshore.examples.seed;

import io.longshore.api.Clock;
import io.longshore.api.OrchestratorEvent;
import io.longshore.core.HttpHealthProbe;
import io.longshore.core.Orchestrator;
import io.longshore.core.OutlierDetection;
import io.longshore.core.Router;
import io.longshore.core.Routers;
import io.longshore.jetty.Gateway;
import io.longshore.jetty.GatewayBuilder;
import io.longshore.jetty.Ownership;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seed scenario, wired: the database the replicas share, a container runtime, an
 * orchestrator with the seed preset running the acts service, and the gateway in front (or,
 * with static backends, only the gateway over a fixed router). {@link #close()} closes the
 * gateway, then the orchestrator (which stops every replica), then the probe, the runtime and
 * last the database. Thread-safe; {@code close()} is idempotent.
 */
public final class SeedApp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SeedApp.class);

    private final Gateway gateway;
    private final Orchestrator orchestrator;
    private final List<AutoCloseable> resources;
    /** Completed by the first replica that became ready (a {@link OrchestratorEvent.ReplicaReady}). */
    private final CompletableFuture<Void> firstReady;
    private final AtomicBoolean closed = new AtomicBoolean();

    private SeedApp(Gateway gateway, Orchestrator orchestrator, List<AutoCloseable> resources,
                    CompletableFuture<Void> firstReady) {
        this.gateway = gateway;
        this.orchestrator = orchestrator;
        this.resources = List.copyOf(resources);
        this.firstReady = firstReady;
    }

    /** Starts everything the options ask for; on failure closes what it started and rethrows. */
    public static SeedApp start(SeedOptions options) {
        return options.isStatic() ? startStatic(options) : startOrchestrated(options);
    }

    /** The orchestrator, absent with static backends. */
    public Optional<Orchestrator> orchestrator() {
        return Optional.ofNullable(orchestrator);
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closeQuietly(gateway);
        for (AutoCloseable resource : resources) {
            closeQuietly(resource);
        }
    }

    /**
     * Waits until the gateway can answer a request from a replica: at once with static backends,
     * and for a service whose minimum is zero (no replica need run before traffic asks for one;
     * with the target autoscaler those requests wait in the gateway's line while one starts);
     * otherwise until a replica is ready, at most {@code timeout}. Whether it can.
     */
    public boolean awaitServing(Duration timeout) throws InterruptedException {
        if (orchestrator == null || orchestrator.status().min() == 0 || orchestrator.status().ready() > 0) {
            return true; // ready already covers replicas adopted ready from an earlier seed main
        }
        try {
            firstReady.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException("never completed exceptionally", e);
        }
    }

    /** The gateway's port. */
    public int port() {
        return gateway.port();
    }

    /** The admin API's port. */
    public int adminPort() {
        return gateway.adminPort();
    }

    private static SeedApp startOrchestrated(SeedOptions options) {
        SeedDatabase database = SeedDatabase.open(options);
        LOG.info("acts data: {}", database.description());
        List<AutoCloseable> resources = new ArrayList<>();
        resources.add(database);
        try {
            SeedWorkload workload = SeedRuntimes.create(options, database.settings());
            LOG.info("replicas run as {}", workload.description());
            resources.add(0, workload.runtime());
            HttpHealthProbe probe = HttpHealthProbe.of(SeedPreset.HEALTH_PATH);
            resources.add(0, probe);
            CompletableFuture<Void> firstReady = new CompletableFuture<>();
            Orchestrator orchestrator = SeedPreset.apply(Orchestrator.builder(), options, probe)
                    .service(workload.spec())
                    .runtime(workload.runtime())
                    .listener(new EventLogger())
                    .listener(event -> {
                        if (event instanceof OrchestratorEvent.ReplicaReady) {
                            firstReady.complete(null);
                        }
                    })
                    .build();
            resources.add(0, orchestrator);
            // owned: the gateway opens its listeners (and access log) first, so a port in use or an
            // unreadable certificate fails the start before any replica starts
            Gateway gateway = startGateway(options, waitingLine(Gateway.builder()
                    .route("/", orchestrator, Ownership.OWNED), options));
            return new SeedApp(gateway, orchestrator, resources, firstReady);
        } catch (RuntimeException e) {
            resources.forEach(SeedApp::closeQuietly);
            throw e;
        }
    }

    /**
     * {@code --autoscaler target}: requests wait in the gateway's line while no replica has room
     * (at zero, or every replica at its concurrency limit); the seed's autoscaler keeps the seed's
     * answer, 503 at once when no replica is routable.
     */
    private static GatewayBuilder waitingLine(GatewayBuilder builder, SeedOptions options) {
        AutoscalerOptions autoscaler = options.autoscaler();
        return autoscaler.kind() == AutoscalerOptions.Kind.TARGET
                ? builder.maxWaiting(autoscaler.maxWaiting()).maxWait(autoscaler.maxWait())
                : builder.maxWaiting(0);
    }

    private static SeedApp startStatic(SeedOptions options) {
        Router router = Routers.fixed(options.staticBackends(), options.balancing().newStrategy(), Clock.system(),
                OutlierDetection.defaults(), options.balancing().slowStart());
        LOG.info("balancing over the static backends {}", options.staticBackends());
        return new SeedApp(startGateway(options, Gateway.builder().router(router)), null, List.of(),
                CompletableFuture.completedFuture(null));
    }

    private static Gateway startGateway(SeedOptions options, GatewayBuilder builder) {
        Gateway gateway = options.gateway().applyTo(builder.host(options.host()).port(options.port())
                .adminPort(options.adminPort())).build().start();
        LOG.info("gateway on http://{}:{}{}, admin API on http://127.0.0.1:{}", options.host(), gateway.port(),
                gateway.tlsPort() < 0 ? "" : " and https://" + options.host() + ":" + gateway.tlsPort(), gateway.adminPort());
        return gateway;
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.warn("closing {} failed: {}", closeable, e.toString());
        }
    }
}
