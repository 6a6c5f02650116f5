package io.longshore.simulator;

import io.longshore.api.Clock;
import io.longshore.api.ContainerInfo;
import io.longshore.api.ContainerRuntime;
import io.longshore.api.ContainerSpec;
import io.longshore.api.Endpoint;
import io.longshore.api.ResourceStats;
import io.longshore.api.RuntimeEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.random.RandomGenerator;

/**
 * The container runtime of a simulation: every start makes a {@link SimulatedReplica} of the
 * model for its slot (its port minus the base port), which serves once its start-up has passed;
 * stopping it breaks what it holds. Reports each replica's CPU as its stats. Records every
 * replica it ever ran, for replica-seconds. Confined to the simulation's thread (its executor
 * runs the orchestrator's runtime calls on that thread).
 */
final class SimulatedRuntime implements ContainerRuntime {
    private final Clock clock;
    private final Timers timers;
    private final IntFunction<ReplicaModel> models;
    private final int basePort;
    private final RandomGenerator random;
    private final Map<String, SimulatedReplica> byId = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> labelsById = new HashMap<>();
    private final Map<Endpoint, SimulatedReplica> byEndpoint = new HashMap<>();
    private final List<SimulatedReplica> everStarted = new ArrayList<>();

    /**
     * @param models   the model of the replica in each slot, from 0
     * @param basePort the orchestrator's base port: slot = port - basePort
     * @param random   where each replica's own generator is drawn from
     */
    SimulatedRuntime(Clock clock, Timers timers, IntFunction<ReplicaModel> models, int basePort,
                     RandomGenerator random) {
        this.clock = clock;
        this.timers = timers;
        this.models = models;
        this.basePort = basePort;
        this.random = random;
    }

    @Override
    public ContainerInfo start(ContainerSpec spec, Endpoint endpoint, Map<String, String> labels) {
        ReplicaModel model = models.apply(Math.max(0, endpoint.port() - basePort));
        String id = "sim-" + (everStarted.size() + 1);
        SimulatedReplica replica = new SimulatedReplica(id, endpoint, model, new SplittableRandom(random.nextLong()),
                timers, timers.nanos() + model.startup().toNanos());
        add(replica);
        Map<String, String> all = new HashMap<>(spec.labels());
        all.putAll(labels);
        labelsById.put(id, Map.copyOf(all));
        return new ContainerInfo(id, endpoint, all, true, clock.instant());
    }

    /** Puts a replica that is already serving (a fixed replica set) on its endpoint. */
    void add(SimulatedReplica replica) {
        byId.put(replica.id(), replica);
        byEndpoint.put(replica.endpoint(), replica);
        everStarted.add(replica);
    }

    @Override
    public void stop(String containerId, Duration grace) {
        SimulatedReplica replica = byId.remove(containerId);
        if (replica != null) {
            byEndpoint.remove(replica.endpoint(), replica);
            replica.stop();
        }
    }

    @Override
    public List<ContainerInfo> list(Map<String, String> labels) {
        List<ContainerInfo> found = new ArrayList<>();
        byId.forEach((id, replica) -> {
            Map<String, String> own = labelsById.getOrDefault(id, Map.of());
            if (own.entrySet().containsAll(labels.entrySet())) {
                found.add(new ContainerInfo(id, replica.endpoint(), own, true, clock.instant()));
            }
        });
        return found;
    }

    @Override
    public AutoCloseable watch(Consumer<RuntimeEvent> listener) {
        return () -> { };
    }

    @Override
    public Optional<ResourceStats> stats(String containerId) {
        SimulatedReplica replica = byId.get(containerId);
        return replica == null ? Optional.empty() : Optional.of(new ResourceStats(replica.cpuPercent(), 0, 0));
    }

    @Override
    public String name() {
        return "simulated";
    }

    /** The running replica serving on {@code endpoint}, or null. */
    SimulatedReplica at(Endpoint endpoint) {
        return byEndpoint.get(endpoint);
    }

    /** Replicas running now. */
    int running() {
        return byId.size();
    }

    /** Every replica ever started, in order. */
    List<SimulatedReplica> everStarted() {
        return List.copyOf(everStarted);
    }

    /** Seconds of replica time from the start up to {@code endNanos}: a starting replica counts. */
    double replicaSeconds(long endNanos) {
        double total = 0;
        for (SimulatedReplica replica : everStarted) {
            long stop = replica.stoppedNanos() < 0 ? endNanos : Math.min(endNanos, replica.stoppedNanos());
            total += Math.max(0, stop - replica.startedNanos()) / 1e9;
        }
        return total;
    }
}
