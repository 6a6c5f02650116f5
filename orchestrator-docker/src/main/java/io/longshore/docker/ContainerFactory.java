package io.longshore.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.exception.BadRequestException;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import io.longshore.api.Clock;
import io.longshore.api.ContainerRuntimeException;
import io.longshore.api.ContainerSpec;
import io.longshore.api.Endpoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a {@link ContainerSpec} bound to an endpoint into a created (not yet started) container.
 * Names are {@code <service>-<port>-<suffix>}, the suffix from the clock so a replacement on the
 * same port never clashes with its predecessor; on a clash anyway a counter is appended. Every
 * container is named because the name is the only handle on a container whose create was carried
 * out but not answered (a response timeout): it is looked up by that name and removed, or else its
 * id is put into the exception, as nobody would own it otherwise. Thread-safe (stateless apart
 * from the client).
 */
final class ContainerFactory {
    private static final long NANOS_PER_CPU = 1_000_000_000L;
    private static final int NAME_ATTEMPTS = 3;

    private final DockerClient client;
    private final Clock clock;

    ContainerFactory(DockerClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    /**
     * Creates the container and returns its id. Definite refusals of the engine propagate as
     * docker-java exceptions; any other failure becomes a {@link ContainerRuntimeException} once a
     * container the engine may have created anyway is removed, carrying its id if it could not be.
     */
    String create(ContainerSpec spec, Endpoint endpoint, Map<String, String> labels) {
        String name = name(spec, endpoint);
        for (int attempt = 1; ; attempt++) {
            try {
                return createNamed(spec, endpoint, labels, name);
            } catch (ConflictException nameTaken) {
                if (attempt == NAME_ATTEMPTS) {
                    throw nameTaken;
                }
                name = name(spec, endpoint) + "-" + attempt;
            }
        }
    }

    private String createNamed(ContainerSpec spec, Endpoint endpoint, Map<String, String> labels, String name) {
        try {
            return command(spec, endpoint, labels).withName(name).exec().getId();
        } catch (ConflictException | NotFoundException | BadRequestException refused) {
            throw refused;
        } catch (RuntimeException unanswered) {
            throw removeUnanswered(name, spec, unanswered);
        }
    }

    /** Removes the container named {@code name} if the engine created it; the exception to throw. */
    private ContainerRuntimeException removeUnanswered(String name, ContainerSpec spec, RuntimeException cause) {
        String what = "cannot create a container of image '" + spec.image() + "' (named " + name + "): "
                + cause + "; ";
        String id = null;
        try {
            for (Container found : client.listContainersCmd().withShowAll(true).withNameFilter(List.of(name)).exec()) {
                if (found.getNames() != null && Arrays.asList(found.getNames()).contains("/" + name)) {
                    id = found.getId();
                    client.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
                    return new ContainerRuntimeException(what + "the engine had created it; removed", cause);
                }
            }
            return new ContainerRuntimeException(what + "the engine had not created it", cause);
        } catch (RuntimeException cleanup) {
            cause.addSuppressed(cleanup);
            return new ContainerRuntimeException(id, what + "it may exist and could not be removed: " + cleanup, cause);
        }
    }

    private CreateContainerCmd command(ContainerSpec spec, Endpoint endpoint, Map<String, String> labels) {
        CreateContainerCmd cmd = client.createContainerCmd(spec.image())
                .withEnv(env(spec, endpoint))
                .withLabels(labels)
                .withStopTimeout(stopTimeoutSeconds(spec))
                .withHostConfig(hostConfig(spec, endpoint));
        if (!spec.command().isEmpty()) {
            cmd.withCmd(spec.command());
        }
        if (spec.network() == ContainerSpec.NetworkMode.BRIDGE) {
            cmd.withExposedPorts(ExposedPort.tcp(containerPort(spec, endpoint)));
        }
        return cmd;
    }

    private static HostConfig hostConfig(ContainerSpec spec, Endpoint endpoint) {
        HostConfig host = HostConfig.newHostConfig().withInit(true);
        if (spec.memoryBytes() > 0) {
            host.withMemory(spec.memoryBytes()).withMemorySwap(spec.memoryBytes());
        }
        if (spec.cpus() > 0) {
            host.withNanoCPUs(Math.round(spec.cpus() * NANOS_PER_CPU));
        }
        if (spec.network() == ContainerSpec.NetworkMode.HOST) {
            return host.withNetworkMode("host");
        }
        Ports.Binding published = Ports.Binding.bindIpAndPort(endpoint.host(), endpoint.port());
        return host.withNetworkMode("bridge")
                .withPortBindings(new PortBinding(published, ExposedPort.tcp(containerPort(spec, endpoint))));
    }

    /**
     * The spec's environment plus {@code PORT} and {@code HOST}: where the workload listens inside
     * its network namespace (the replica's endpoint with host networking; the container port on
     * all interfaces with a bridge). {@code PORT} is always the runtime's; a spec's {@code HOST} wins.
     */
    static List<String> env(ContainerSpec spec, Endpoint endpoint) {
        List<String> env = new ArrayList<>();
        spec.env().forEach((name, value) -> {
            if (!name.equals("PORT")) {
                env.add(name + "=" + value);
            }
        });
        boolean host = spec.network() == ContainerSpec.NetworkMode.HOST;
        env.add("PORT=" + (host ? endpoint.port() : containerPort(spec, endpoint)));
        if (!spec.env().containsKey("HOST")) {
            env.add("HOST=" + (host ? endpoint.host() : "0.0.0.0"));
        }
        return env;
    }

    static int containerPort(ContainerSpec spec, Endpoint endpoint) {
        return spec.containerPort() == 0 ? endpoint.port() : spec.containerPort();
    }

    private static int stopTimeoutSeconds(ContainerSpec spec) {
        long millis = spec.stopGrace().toMillis();
        return (int) Math.min(Integer.MAX_VALUE, (millis + 999) / 1000);
    }

    private String name(ContainerSpec spec, Endpoint endpoint) {
        String service = spec.service().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.-]", "-");
        if (!Character.isLetterOrDigit(service.charAt(0))) {
            service = "x" + service;
        }
        long micros = clock.instant().toEpochMilli() * 1000 + clock.nanoTime() / 1000 % 1000;
        return service + "-" + endpoint.port() + "-" + Long.toString(micros, 36);
    }
}
