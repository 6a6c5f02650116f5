package io.longshore.examples.seed;

import io.longshore.api.ContainerSpec;
import io.longshore.core.ProcessRuntime;
import io.longshore.docker.BusyboxWorkloadImage;
import io.longshore.docker.DockerRuntime;
import io.longshore.examples.seed.SeedOptions.RuntimeKind;

/**
 * Picks the runtime of the seed's replicas and the spec each runs: local processes running
 * the acts service from this JVM's class path, or Docker containers with host networking of
 * the given image: by default the busybox workload image, and {@value LocalActsImage#TAG}
 * (the acts service on a jlinked copy of this JDK); both are built here when absent. Stateless.
 */
final class SeedRuntimes {
    static final String SERVICE = "acts";
    /** Label on every replica the seed main starts, so tools and tests can find them. */
    static final String EXAMPLE_LABEL = "io.longshore.example";

    private SeedRuntimes() {
    }

    /** The workload for {@code options}; {@code auto} takes Docker when an engine answers. */
    static SeedWorkload create(SeedOptions options) {
        if (options.runtime() == RuntimeKind.PROCESS) {
            return processes();
        }
        DockerRuntime docker = DockerRuntime.builder().build();
        if (docker.isAvailable()) {
            return containers(docker, options);
        }
        docker.close();
        if (options.runtime() == RuntimeKind.DOCKER) {
            throw new IllegalStateException("--runtime docker: no Docker engine answers (DOCKER_HOST or"
                    + " /var/run/docker.sock); start one, or run with --runtime process");
        }
        return processes();
    }

    static SeedWorkload processes() {
        ProcessRuntime runtime = ProcessRuntime.create();
        ContainerSpec spec = ContainerSpec.builder(SERVICE)
                .command(ActsCommand.forThisJvm())
                .stopGrace(SeedPreset.STOP_GRACE)
                .label(EXAMPLE_LABEL, SERVICE)
                .build();
        return new SeedWorkload(runtime, spec,
                "local processes running the acts service (logs under " + runtime.logDirectory() + ")");
    }

    static SeedWorkload containers(DockerRuntime docker, SeedOptions options) {
        try {
            return options.image().isPresent() ? imageContainers(docker, options.image().get())
                    : busyboxContainers(docker);
        } catch (RuntimeException e) {
            docker.close();
            throw e;
        }
    }

    private static SeedWorkload imageContainers(DockerRuntime docker, String image) {
        boolean local = image.equals(LocalActsImage.TAG);
        if (local) {
            LocalActsImage.ensure();
        }
        ContainerSpec spec = ContainerSpec.builder(SERVICE).image(image)
                .network(ContainerSpec.NetworkMode.HOST)
                .env("BIND_HOST", "127.0.0.1")
                .label(EXAMPLE_LABEL, SERVICE)
                .pullPolicy(local ? ContainerSpec.PullPolicy.NEVER : ContainerSpec.PullPolicy.IF_MISSING)
                .stopGrace(SeedPreset.STOP_GRACE)
                .build();
        return new SeedWorkload(new WithoutStats(docker), spec,
                "Docker containers of " + image + " (host network)");
    }

    private static SeedWorkload busyboxContainers(DockerRuntime docker) {
        String image = BusyboxWorkloadImage.ensure(docker);
        ContainerSpec spec = BusyboxWorkloadImage.spec(SERVICE).label(EXAMPLE_LABEL, SERVICE).build();
        return new SeedWorkload(new WithoutStats(docker), spec,
                "Docker containers of the busybox workload image " + image + " (host network)");
    }
}
