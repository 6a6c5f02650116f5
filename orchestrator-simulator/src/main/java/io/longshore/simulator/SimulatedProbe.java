package io.longshore.simulator;

import io.longshore.api.Backend;
import io.longshore.api.HealthProbe;
import io.longshore.api.ProbeResult;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Probes a modelled replica: it passes once started up, unless stopped or stalled. Confined to the simulation's thread. */
final class SimulatedProbe implements HealthProbe {
    private final SimulatedRuntime runtime;

    SimulatedProbe(SimulatedRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public CompletionStage<ProbeResult> probe(Backend backend) {
        SimulatedReplica replica = runtime.at(backend.endpoint());
        if (replica == null) {
            return CompletableFuture.completedFuture(ProbeResult.fail("no such replica"));
        }
        return CompletableFuture.completedFuture(replica.healthy() ? ProbeResult.pass()
                : ProbeResult.fail("starting or stalled"));
    }

    @Override
    public String toString() {
        return "simulated-probe";
    }
}
