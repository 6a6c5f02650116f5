package io.longshore.api;

import io.longshore.api.internal.Checks;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What to run for one replica of a service. Immutable; build with {@link #builder(String)}.
 * A runtime decides which fields apply to it: a process runtime runs {@link #command()}, a
 * Docker runtime runs {@link #image()} with {@link #command()} as its arguments.
 *
 * @param service       the service name, used in labels and log file names
 * @param image         the container image, or empty for runtimes that run commands
 * @param command       the command (process runtime) or the image's arguments (Docker)
 * @param env           extra environment; {@code PORT} is always set by the runtime
 * @param labels        extra labels; the orchestrator adds its own
 * @param memoryBytes   memory limit, 0 for none
 * @param cpus          CPU limit in cores, 0 for none
 * @param stopGrace     time between the polite stop signal and the kill
 * @param network       how the replica's port is exposed
 * @param containerPort the port inside the container for {@link NetworkMode#BRIDGE}, 0 = same as the replica's
 * @param pullPolicy    when a Docker runtime pulls the image
 * @param weight        each replica's relative weight for weighted load balancing, in
 *                      1..{@value #MAX_WEIGHT}; not part of what a replica runs, so changing it
 *                      replaces nothing
 */
public record ContainerSpec(
        String service,
        String image,
        List<String> command,
        Map<String, String> env,
        Map<String, String> labels,
        long memoryBytes,
        double cpus,
        Duration stopGrace,
        NetworkMode network,
        int containerPort,
        PullPolicy pullPolicy,
        int weight) {

    /** A replica's weight unless set. */
    public static final int DEFAULT_WEIGHT = 1;
    /** The highest weight of a replica. */
    public static final int MAX_WEIGHT = 1000;

    /** Default time a replica gets to stop after SIGTERM before it is killed. */
    public static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(10);

    /** How a replica's port is exposed. */
    public enum NetworkMode {
        /** The replica shares the host's network and binds the replica port on 127.0.0.1. */
        HOST,
        /** The replica gets its own network; the replica port is published to {@code containerPort}. */
        BRIDGE
    }

    /** When a Docker runtime pulls an image. */
    public enum PullPolicy { NEVER, IF_MISSING, ALWAYS }

    public ContainerSpec {
        Checks.requireNonBlank(service, "service");
        image = image == null ? "" : image;
        command = List.copyOf(Objects.requireNonNull(command, "command"));
        env = Map.copyOf(Objects.requireNonNull(env, "env"));
        requireStartable(image, command, env);
        labels = Map.copyOf(Objects.requireNonNull(labels, "labels"));
        if (memoryBytes < 0) {
            throw new IllegalArgumentException("memoryBytes must be >= 0, was " + memoryBytes);
        }
        if (cpus < 0 || Double.isNaN(cpus)) {
            throw new IllegalArgumentException("cpus must be >= 0, was " + cpus);
        }
        Checks.requireNotNegative(stopGrace, "stopGrace");
        Objects.requireNonNull(network, "network");
        if (containerPort < 0 || containerPort > 65_535) {
            throw new IllegalArgumentException("containerPort must be in 0..65535, was " + containerPort);
        }
        Objects.requireNonNull(pullPolicy, "pullPolicy");
        if (image.isEmpty() && command.isEmpty()) {
            throw new IllegalArgumentException("a spec needs an image or a command");
        }
        requireWeight(weight, "weight");
    }

    /**
     * Refuses what no runtime could start, here rather than at every start of a replica: an
     * environment name that is empty or holds {@code =} or NUL, a value or a command part that
     * holds NUL (none can reach a process), and, with no image, a blank program ({@code command[0]}).
     */
    private static void requireStartable(String image, List<String> command, Map<String, String> env) {
        for (int i = 0; i < command.size(); i++) {
            if (command.get(i).indexOf('\0') >= 0) {
                throw new IllegalArgumentException("command[" + i + "] must not contain NUL");
            }
        }
        if (image.isEmpty() && !command.isEmpty() && command.get(0).isBlank()) {
            throw new IllegalArgumentException("command[0], the program to run when there is no image, must not be blank");
        }
        env.forEach((name, value) -> {
            if (name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("env name must not contain '=' or NUL or be empty, was '"
                        + name.replace("\0", "\\0") + "'");
            }
            if (value.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("env value of '" + name + "' must not contain NUL");
            }
        });
    }

    /** {@code weight} if it lies in 1..{@value #MAX_WEIGHT}, else an exception naming {@code name}. */
    public static int requireWeight(int weight, String name) {
        if (weight < 1 || weight > MAX_WEIGHT) {
            throw new IllegalArgumentException(name + " must be in 1.." + MAX_WEIGHT + ", was " + weight);
        }
        return weight;
    }

    public static Builder builder(String service) {
        return new Builder(service);
    }

    public Builder toBuilder() {
        Builder b = new Builder(service);
        b.image = image;
        b.command = command;
        b.env.putAll(env);
        b.labels.putAll(labels);
        b.memoryBytes = memoryBytes;
        b.cpus = cpus;
        b.stopGrace = stopGrace;
        b.network = network;
        b.containerPort = containerPort;
        b.pullPolicy = pullPolicy;
        b.weight = weight;
        return b;
    }

    /** Builds a {@link ContainerSpec}; each setter validates its argument. Not thread-safe. */
    public static final class Builder {
        private final String service;
        private String image = "";
        private List<String> command = List.of();
        private final Map<String, String> env = new LinkedHashMap<>();
        private final Map<String, String> labels = new LinkedHashMap<>();
        private long memoryBytes;
        private double cpus;
        private Duration stopGrace = DEFAULT_STOP_GRACE;
        private NetworkMode network = NetworkMode.HOST;
        private int containerPort;
        private PullPolicy pullPolicy = PullPolicy.IF_MISSING;
        private int weight = DEFAULT_WEIGHT;

        private Builder(String service) {
            Checks.requireNonBlank(service, "service");
            this.service = service;
        }

        public Builder image(String image) {
            Checks.requireNonBlank(image, "image");
            this.image = image;
            return this;
        }

        public Builder command(String... command) {
            return command(List.of(command));
        }

        public Builder command(List<String> command) {
            this.command = List.copyOf(Objects.requireNonNull(command, "command"));
            return this;
        }

        public Builder env(String name, String value) {
            Checks.requireNonBlank(name, "env name");
            env.put(name, Objects.requireNonNull(value, "env value"));
            return this;
        }

        public Builder label(String name, String value) {
            Checks.requireNonBlank(name, "label name");
            labels.put(name, Objects.requireNonNull(value, "label value"));
            return this;
        }

        public Builder memoryBytes(long memoryBytes) {
            if (memoryBytes < 0) {
                throw new IllegalArgumentException("memoryBytes must be >= 0, was " + memoryBytes);
            }
            this.memoryBytes = memoryBytes;
            return this;
        }

        public Builder cpus(double cpus) {
            if (cpus < 0 || Double.isNaN(cpus)) {
                throw new IllegalArgumentException("cpus must be >= 0, was " + cpus);
            }
            this.cpus = cpus;
            return this;
        }

        public Builder stopGrace(Duration stopGrace) {
            this.stopGrace = Checks.requireNotNegative(stopGrace, "stopGrace");
            return this;
        }

        public Builder network(NetworkMode network) {
            this.network = Objects.requireNonNull(network, "network");
            return this;
        }

        public Builder containerPort(int containerPort) {
            if (containerPort < 0 || containerPort > 65_535) {
                throw new IllegalArgumentException("containerPort must be in 0..65535, was " + containerPort);
            }
            this.containerPort = containerPort;
            return this;
        }

        public Builder pullPolicy(PullPolicy pullPolicy) {
            this.pullPolicy = Objects.requireNonNull(pullPolicy, "pullPolicy");
            return this;
        }

        /**
         * Each replica's relative weight for weighted load balancing, in 1..{@value #MAX_WEIGHT};
         * {@value #DEFAULT_WEIGHT} by default. One replica's weight can be changed while it runs.
         */
        public Builder weight(int weight) {
            this.weight = requireWeight(weight, "weight");
            return this;
        }

        public ContainerSpec build() {
            return new ContainerSpec(service, image, command, env, labels, memoryBytes, cpus,
                    stopGrace, network, containerPort, pullPolicy, weight);
        }
    }
}
