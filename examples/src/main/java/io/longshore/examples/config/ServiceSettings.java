package io.longshore.examples.config;

import io.longshore.api.ContainerSpec;
import io.longshore.api.LoadBalancingStrategy;
import io.longshore.api.ScalingPolicy;
import io.longshore.core.OrchestratorBuilder;
import io.longshore.core.SlowStart;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One service of a config file: where the gateway routes it, what each replica runs, and how
 * the orchestrator runs them. Immutable.
 *
 * @param name       the service name (replica ids, labels, the admin API)
 * @param prefix     the path prefix the gateway routes to it
 * @param workload   what each replica runs
 * @param replicas   how many, on which ports
 * @param probe      how replicas are checked
 * @param strategy   how the gateway picks a replica
 * @param balancing  each replica's weight and the slow start of a replica that just became ready
 * @param autoscaler how the replica count follows the load
 * @param timeouts   how long draining, stopping and shutting down may take
 */
public record ServiceSettings(String name, String prefix, Workload workload, Replicas replicas, Probe probe,
                              LoadBalancingStrategy strategy, Balancing balancing, Autoscaler autoscaler,
                              Timeouts timeouts) {
    public ServiceSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(workload, "workload");
        Objects.requireNonNull(replicas, "replicas");
        Objects.requireNonNull(probe, "probe");
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(balancing, "balancing");
        Objects.requireNonNull(autoscaler, "autoscaler");
        Objects.requireNonNull(timeouts, "timeouts");
    }

    /** Whether replicas are Docker containers (an image) rather than local processes (a command). */
    public boolean isContainer() {
        return !workload.image().isEmpty();
    }

    /**
     * The replica spec: a command or an image, with its environment (over {@code baseEnv}, e.g. the
     * shared database's), limits and stop grace.
     */
    ContainerSpec spec(Map<String, String> baseEnv) {
        ContainerSpec.Builder spec = ContainerSpec.builder(name).stopGrace(timeouts.stop());
        if (isContainer()) {
            spec.image(workload.image()).network(ContainerSpec.NetworkMode.HOST).pullPolicy(workload.pull());
        } else {
            spec.command(workload.command());
        }
        baseEnv.forEach(spec::env);
        workload.env().forEach(spec::env);
        workload.memoryBytes().ifPresent(spec::memoryBytes);
        workload.cpus().ifPresent(spec::cpus);
        balancing.weight().ifPresent(spec::weight);
        return spec.build();
    }

    /**
     * Applies everything but the spec, runtime and probe (which hold resources) to {@code builder};
     * what the file leaves out keeps the builder's default.
     */
    OrchestratorBuilder applyTo(OrchestratorBuilder builder) {
        builder.minReplicas(replicas.min()).maxReplicas(replicas.max()).basePort(replicas.basePort()).strategy(strategy);
        replicas.initial().ifPresent(builder::initialReplicas);
        probe.interval().ifPresent(builder::probeInterval);
        probe.timeout().ifPresent(builder::probeTimeout);
        probe.rise().ifPresent(builder::rise);
        probe.fall().ifPresent(builder::fall);
        probe.startGrace().ifPresent(builder::startGracePeriod);
        autoscaler.policy().ifPresent(builder::scalingPolicy);
        autoscaler.interval().ifPresent(builder::scalingInterval);
        autoscaler.containerConcurrency().ifPresent(builder::containerConcurrency);
        balancing.slowStart().map(SlowStart::over).ifPresent(builder::slowStart);
        timeouts.drain().ifPresent(builder::drainTimeout);
        timeouts.shutdown().ifPresent(builder::shutdownTimeout);
        return builder;
    }

    /** A command (local processes) or an image (Docker, host network), with environment and limits. */
    public record Workload(List<String> command, String image, ContainerSpec.PullPolicy pull, Map<String, String> env,
                           Optional<Long> memoryBytes, Optional<Double> cpus) {
        public Workload {
            command = List.copyOf(command);
            Objects.requireNonNull(image, "image");
            Objects.requireNonNull(pull, "pull");
            env = Map.copyOf(env);
            Objects.requireNonNull(memoryBytes, "memoryBytes");
            Objects.requireNonNull(cpus, "cpus");
        }
    }

    /** The replica count's bounds and start, and the first replica's port (more take the next ones). */
    public record Replicas(int min, int max, OptionalInt initial, int basePort) {
        public Replicas {
            Objects.requireNonNull(initial, "initial");
        }

        /** The last port a replica may take. */
        public int lastPort() {
            return basePort + max - 1;
        }
    }

    /** {@code http} (GET of {@code path}) or {@code tcp} (a connect), with its timing and thresholds. */
    public record Probe(String type, String path, Optional<Duration> interval, Optional<Duration> timeout,
                        OptionalInt rise, OptionalInt fall, Optional<Duration> startGrace) {
        public Probe {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(interval, "interval");
            Objects.requireNonNull(timeout, "timeout");
            Objects.requireNonNull(rise, "rise");
            Objects.requireNonNull(fall, "fall");
            Objects.requireNonNull(startGrace, "startGrace");
        }
    }

    /**
     * The scaling policy (empty: the builder's default), how often it decides and, for target
     * tracking, how many requests one replica takes at once (empty: the builder's default, no limit).
     */
    public record Autoscaler(String type, Optional<ScalingPolicy> policy, Optional<Duration> interval,
                             OptionalInt containerConcurrency) {
        public Autoscaler {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(policy, "policy");
            Objects.requireNonNull(interval, "interval");
            Objects.requireNonNull(containerConcurrency, "containerConcurrency");
        }

        /** A policy that needs no per-replica limit. */
        public Autoscaler(String type, Optional<ScalingPolicy> policy, Optional<Duration> interval) {
            this(type, policy, interval, OptionalInt.empty());
        }
    }

    /**
     * Each replica's weight ({@code weight}, empty: {@link ContainerSpec}'s default) and the slow
     * start window ({@code slowStart}, empty: the builder's default, none).
     */
    public record Balancing(OptionalInt weight, Optional<Duration> slowStart) {
        public Balancing {
            Objects.requireNonNull(weight, "weight");
            Objects.requireNonNull(slowStart, "slowStart");
        }
    }

    /** Drain (requests in flight of a leaving replica), stop (SIGTERM to kill) and the orchestrator's shutdown. */
    public record Timeouts(Optional<Duration> drain, Duration stop, Optional<Duration> shutdown) {
        public Timeouts {
            Objects.requireNonNull(drain, "drain");
            Objects.requireNonNull(stop, "stop");
            Objects.requireNonNull(shutdown, "shutdown");
        }
    }
}
