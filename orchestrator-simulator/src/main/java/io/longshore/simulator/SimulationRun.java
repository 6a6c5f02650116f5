package io.longshore.simulator;

import io.longshore.api.ContainerSpec;
import io.longshore.api.Endpoint;
import io.longshore.api.OrchestratorEvent;
import io.longshore.core.Orchestrator;
import io.longshore.core.OrchestratorBuilder;
import io.longshore.core.Router;
import io.longshore.core.Routers;
import io.longshore.core.WaitingLine;
import io.longshore.testkit.DeterministicScheduler;
import io.longshore.testkit.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * One run of a {@link Simulation}: its clock, scheduler, runtime, router (and orchestrator), gateway
 * and recorders; drives the traffic for the run's length, lets the open requests finish and
 * draws the report. Confined to the thread that runs it.
 */
final class SimulationRun implements Timers, Arrivals {
    /** The port of the first replica: slot 0. */
    static final int BASE_PORT = 9000;
    /** The longest the run goes on after the traffic ends, for the open requests to finish. */
    private static final Duration MAX_DRAIN = Duration.ofMinutes(5);

    private final Simulation simulation;
    private final ManualClock clock = new ManualClock();
    private final DeterministicScheduler scheduler = new DeterministicScheduler(clock);
    private final long origin = clock.nanoTime();
    private final RandomGenerator trafficRandom;
    private final Recorder recorder = new Recorder();
    private final SimulatedRuntime runtime;
    private final List<Sample> timeline = new ArrayList<>();
    private final List<Duration> scalings = new ArrayList<>();
    private Orchestrator orchestrator;
    private Router router;
    private Front front;

    SimulationRun(Simulation simulation) {
        this.simulation = simulation;
        SplittableRandom root = new SplittableRandom(simulation.seed);
        this.trafficRandom = root.split();
        this.runtime = new SimulatedRuntime(clock, this, simulation.models, BASE_PORT, root.split());
    }

    SimulationReport run() {
        router = simulation.isFixed() ? fixedRouter() : startOrchestrator();
        WaitingLine line = simulation.maxWaiting == 0 ? null
                : WaitingLine.of(router, simulation.maxWaiting, simulation.maxWait).orElse(null);
        front = new Front(router, runtime, this, recorder, simulation.responseTimeout.toNanos(), line);
        simulation.traffic.drive(this);
        sample();
        clock.advance(simulation.length);
        long drainUntil = nanos() + MAX_DRAIN.toNanos();
        while (front.open() > 0 && nanos() < drainUntil) {
            clock.advance(Duration.ofSeconds(1));
        }
        SimulationReport report = report();
        if (orchestrator != null) {
            orchestrator.close();
            scheduler.runPending();
        }
        return report;
    }

    private Router fixedRouter() {
        List<Endpoint> endpoints = new ArrayList<>();
        for (int i = 0; i < simulation.fixed.size(); i++) {
            Endpoint endpoint = new Endpoint(Endpoint.LOOPBACK, BASE_PORT + i);
            endpoints.add(endpoint);
            runtime.add(new SimulatedReplica("fixed-" + (i + 1), endpoint, simulation.fixed.get(i),
                    new SplittableRandom(trafficRandom.nextLong()), this, nanos()));
        }
        return Routers.fixed(endpoints, simulation.strategy, clock, simulation.outlierDetection);
    }

    private Router startOrchestrator() {
        OrchestratorBuilder builder = Orchestrator.builder()
                .probeInterval(Duration.ofMillis(250))
                .rise(1)
                .startGracePeriod(startGrace());
        builder = simulation.orchestrator.apply(builder);
        orchestrator = builder
                .service(ContainerSpec.builder("simulated").command("simulated-replica").build())
                .runtime(runtime)
                .clock(clock)
                .scheduler(scheduler)
                .runtimeExecutor(Runnable::run).probeExecutor(Runnable::run)
                .healthProbe(new SimulatedProbe(runtime))
                .basePort(BASE_PORT)
                .listener(this::onEvent)
                .build()
                .start();
        scheduler.runPending();
        return orchestrator.router();
    }

    /** Long enough for the slot-0 model to start: its start-up twice, at least the orchestrator's default. */
    private Duration startGrace() {
        Duration twice = simulation.startup().multipliedBy(2);
        return twice.compareTo(OrchestratorBuilder.DEFAULT_START_GRACE) > 0 ? twice : OrchestratorBuilder.DEFAULT_START_GRACE;
    }

    private void onEvent(OrchestratorEvent event) {
        if (event instanceof OrchestratorEvent.Scaled) {
            scalings.add(Duration.ofNanos(nanos()));
        }
    }

    private void sample() {
        long now = nanos();
        int desired = orchestrator != null ? orchestrator.status().desired() : simulation.fixed.size();
        double offered = simulation.traffic.offeredConcurrency(now / 1e9, simulation.meanServiceSeconds());
        timeline.add(new Sample(Duration.ofNanos(now), desired, router.routable().size(), runtime.running(),
                front.open(), front.waiting(), offered));
        long next = now + simulation.sampleInterval.toNanos();
        if (next <= simulation.length.toNanos()) {
            at(next, this::sample);
        }
    }

    private SimulationReport report() {
        long end = simulation.length.toNanos();
        List<ReplicaStats> replicas = new ArrayList<>();
        for (SimulatedReplica replica : runtime.everStarted()) {
            replicas.add(new ReplicaStats(replica.id(), replica.model().name(), replica.endpoint().port(),
                    Duration.ofNanos(replica.startedNanos()), replica.requests(), replica.failures()));
        }
        return new SimulationReport(recorder.snapshot(), timeline, scalings, replicas, runtime.replicaSeconds(end),
                oracleReplicaSeconds(), simulation.capacityPerReplica, simulation.length);
    }

    /** The oracle's replicas at each sample: what the offered load needs, each started its start-up ahead. */
    private double oracleReplicaSeconds() {
        if (Double.isNaN(simulation.oracleConcurrency) || timeline.isEmpty()) {
            return Double.NaN;
        }
        double step = simulation.sampleInterval.toNanos() / 1e9;
        double startup = simulation.startup().toNanos() / 1e9;
        double total = 0;
        int previous = 0;
        for (Sample sample : timeline) {
            if (Double.isNaN(sample.offered())) {
                return Double.NaN;
            }
            int need = Math.max(simulation.oracleMinimum,
                    (int) Math.ceil(sample.offered() / simulation.oracleConcurrency - 1e-9));
            total += need * step + Math.max(0, need - previous) * startup;
            previous = need;
        }
        return total;
    }

    // ---- Timers and Arrivals ----

    @Override
    public long nanos() {
        return clock.nanoTime() - origin;
    }

    @Override
    public void at(long nanos, Runnable action) {
        scheduler.schedule(action, Duration.ofNanos(Math.max(0, nanos - nanos())));
    }

    @Override
    public long endNanos() {
        return simulation.length.toNanos();
    }

    @Override
    public void send(Runnable onDone) {
        if (nanos() < endNanos()) {
            front.send(onDone);
        }
    }

    @Override
    public RandomGenerator random() {
        return trafficRandom;
    }
}
