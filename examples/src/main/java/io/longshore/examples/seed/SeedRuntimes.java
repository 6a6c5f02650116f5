package io.longshore.examples.seed;

import io.longshore.api.ContainerSpec;
import io.longshore.core.ProcessRuntime;
import io.longshore.docker.BusyboxWorkloadImage;
import io.longshore.docker.DockerRuntime;
import io.longshore.examples.acts.DatabaseSettings;
import io.longshore.examples.seed.SeedOptions.RuntimeKind;
import io.longshore.kubernetes.KubernetesRuntime;
import io.longshore.kubernetes.KubernetesRuntimeBuilder;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the runtime of the seed's replicas and the spec each runs: local processes running
 * the acts service from this JVM's class path, or Docker containers with host networking of
 * the given image, by default {@value LocalActsImage#TAG} (the acts service on a jlinked copy of
 * this JDK, built here when absent or stale); {@code --image} names another, the Docker
 * runtime's busybox workload image included (built here too; it has no acts API and uses no
 * database); or pods of the given image on a Kubernetes cluster. Every acts replica gets the
 * shared database's settings in its environment (processes and containers reach it on
 * 127.0.0.1; pods need {@code --database}). Stateless.
 */
final class SeedRuntimes {
    static final String SERVICE = "acts";
    /** Label on every replica the seed main starts, so tools and tests can find them. */
    static final String EXAMPLE_LABEL = "io.longshore.example";
    private static final Logger LOG = LoggerFactory.getLogger(SeedRuntimes.class);

    private SeedRuntimes() {
    }

    /**
     * The workload for {@code options}. {@code auto} takes Docker when an engine answers and its
     * image can be prepared, else local processes; {@code docker} fails with a clear message.
     */
    static SeedWorkload create(SeedOptions options, DatabaseSettings database) {
        if (options.runtime() == RuntimeKind.PROCESS) {
            return processes(options, database);
        }
        if (options.runtime() == RuntimeKind.KUBERNETES) {
            return pods(options, database);
        }
        Optional<DockerRuntime> docker = answeringDocker();
        if (options.runtime() == RuntimeKind.DOCKER) {
            return containers(docker.orElseThrow(() -> new IllegalStateException("--runtime docker: no Docker"
                    + " engine answers (DOCKER_HOST or /var/run/docker.sock); start one, or use --runtime process")),
                    options, database);
        }
        try {
            return docker.map(engine -> containers(engine, options, database)).orElseGet(() -> processes(options, database));
        } catch (RuntimeException e) {
            LOG.warn("Docker answers but its workload cannot be prepared ({}); using local processes", e.getMessage());
            return processes(options, database);
        }
    }

    /** A Docker runtime whose engine answers a ping, else empty (never throws). */
    private static Optional<DockerRuntime> answeringDocker() {
        DockerRuntime docker;
        try {
            docker = DockerRuntime.builder().build();
        } catch (RuntimeException e) {
            LOG.debug("no Docker runtime: {}", e.toString());
            return Optional.empty();
        }
        if (docker.isAvailable()) {
            return Optional.of(docker);
        }
        docker.close();
        return Optional.empty();
    }

    /**
     * Local processes, recorded under {@link SeedOptions#processStateDir()} with the options'
     * orphan policy: a seed main restarted on the same data directory adopts the replicas a killed
     * one left (or, with {@code die-with-parent}, finds none).
     */
    static SeedWorkload processes(SeedOptions options, DatabaseSettings database) {
        ProcessRuntime runtime = ProcessRuntime.builder().stateDirectory(options.processStateDir())
                .orphans(options.orphans()).build();
        ContainerSpec.Builder spec = ContainerSpec.builder(SERVICE)
                .command(ActsCommand.forThisJvm())
                .stopGrace(SeedPreset.STOP_GRACE)
                .label(EXAMPLE_LABEL, SERVICE);
        database.environment().forEach(spec::env);
        return new SeedWorkload(runtime, spec.build(),
                "local processes running the acts service (logs under " + runtime.logDirectory() + ", state in "
                        + runtime.stateDirectory() + ", orphans " + SeedOptions.flagValue(runtime.orphans()) + ")");
    }

    /**
     * Pods of {@code --image} in {@code --namespace} on the cluster of {@code $KUBECONFIG},
     * {@code ~/.kube/config} or the pod the seed runs in; fails when its API server does not answer.
     */
    static SeedWorkload pods(SeedOptions options, DatabaseSettings database) {
        String image = options.image().orElseThrow(() -> new IllegalStateException("--runtime kubernetes needs --image"));
        KubernetesRuntimeBuilder builder = KubernetesRuntime.builder()
                .listener(event -> LOG.warn("kubernetes: {}", event));
        options.namespace().ifPresent(builder::namespace);
        KubernetesRuntime runtime = builder.build();
        if (!runtime.isAvailable()) {
            runtime.close();
            throw new IllegalStateException("--runtime kubernetes: the API server of " + runtime + " does not answer or"
                    + " refuses to list pods ($KUBECONFIG, ~/.kube/config, or the pod's service account)");
        }
        ContainerSpec.Builder spec = ContainerSpec.builder(SERVICE).image(image)
                .label(EXAMPLE_LABEL, SERVICE)
                .stopGrace(SeedPreset.STOP_GRACE);
        database.environment().forEach(spec::env);
        return new SeedWorkload(runtime, spec.build(),
                "Kubernetes pods of " + image + " in namespace " + runtime.namespace());
    }

    static SeedWorkload containers(DockerRuntime docker, SeedOptions options, DatabaseSettings database) {
        try {
            String image = options.image().orElse(LocalActsImage.TAG);
            return image.equals(BusyboxWorkloadImage.TAG) ? busyboxContainers(docker)
                    : imageContainers(docker, image, database);
        } catch (RuntimeException e) {
            docker.close();
            throw e;
        }
    }

    private static SeedWorkload imageContainers(DockerRuntime docker, String image, DatabaseSettings database) {
        boolean local = image.equals(LocalActsImage.TAG);
        if (local) {
            LocalActsImage.ensure();
        }
        ContainerSpec.Builder spec = ContainerSpec.builder(SERVICE).image(image)
                .network(ContainerSpec.NetworkMode.HOST)
                .env("BIND_HOST", "127.0.0.1")
                .label(EXAMPLE_LABEL, SERVICE)
                .pullPolicy(local ? ContainerSpec.PullPolicy.NEVER : ContainerSpec.PullPolicy.IF_MISSING)
                .stopGrace(SeedPreset.STOP_GRACE);
        database.environment().forEach(spec::env);
        return new SeedWorkload(docker, spec.build(),
                "Docker containers of " + (local ? "the acts service image " : "") + image + " (host network)");
    }

    private static SeedWorkload busyboxContainers(DockerRuntime docker) {
        String image = BusyboxWorkloadImage.ensure(docker);
        ContainerSpec spec = BusyboxWorkloadImage.spec(SERVICE).label(EXAMPLE_LABEL, SERVICE).build();
        return new SeedWorkload(docker, spec,
                "Docker containers of the busybox workload image " + image + " (host network; no acts API)");
    }
}
