package io.longshore.core;

import io.longshore.api.HealthProbe;
import io.longshore.api.OrchestratorEvent;
import io.longshore.api.ProbeResult;
import io.longshore.api.ReplicaState;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * Probes every replica in service each probe interval, enforces the probe timeout, and turns
 * results into states: {@code rise} passes make a replica ready, the first failure of a ready
 * one ejects it, {@code fall} failures in a row replace it; failures of a replica not yet
 * ready do not count during the start grace period. A probe that throws, returns null,
 * fails or times out reads as a failure. Loop only; not thread-safe.
 */
final class ProbeRunner {
    private final ControlLoop loop;
    private final HealthProbe probe;
    private final long intervalNanos;
    private final Duration timeout;
    private long nextTickNanos;
    private boolean started;

    ProbeRunner(ControlLoop loop, HealthProbe probe) {
        this.loop = loop;
        this.probe = probe;
        this.intervalNanos = loop.config.probeInterval().toNanos();
        this.timeout = loop.config.probeTimeout();
    }

    void start() {
        if (started) {
            return;
        }
        started = true;
        nextTickNanos = loop.nanos();
        tick();
    }

    private void tick() {
        if (loop.closing) {
            return;
        }
        long now = loop.nanos();
        for (Replica replica : loop.table.all()) {
            if (!replica.inService()) {
                continue;
            }
            if (replica.probeInFlight && now - replica.probeDeadlineNanos >= 0) {
                finish(replica, replica.probeGeneration, timedOut());
            }
            if (!replica.probeInFlight) {
                probe(replica, now);
            }
        }
        nextTickNanos += intervalNanos;
        loop.later(Duration.ofNanos(Math.max(0, nextTickNanos - loop.nanos())), this::tick);
    }

    private void probe(Replica replica, long now) {
        replica.probeInFlight = true;
        long generation = ++replica.probeGeneration;
        replica.probeDeadlineNanos = now + timeout.toNanos();
        CompletionStage<ProbeResult> stage;
        try {
            stage = probe.probe(replica.backend);
        } catch (RuntimeException | LinkageError e) {
            loop.userCode.report("probe " + probe, e);
            finish(replica, generation, ProbeResult.fail("probe threw " + e));
            return;
        }
        if (stage == null) {
            loop.userCode.report("probe " + probe, "returned null instead of a stage");
            finish(replica, generation, ProbeResult.fail("probe returned null"));
            return;
        }
        replica.probeTimeout = loop.later(timeout, () -> finish(replica, generation, timedOut()));
        stage.whenComplete((result, error) -> loop.post(() -> finish(replica, generation, outcome(result, error))));
    }

    private ProbeResult timedOut() {
        return ProbeResult.fail("probe timed out after " + timeout.toMillis() + " ms");
    }

    private static ProbeResult outcome(ProbeResult result, Throwable error) {
        if (error != null) {
            return ProbeResult.fail("probe failed: " + error);
        }
        return result != null ? result : ProbeResult.fail("probe answered null");
    }

    private void finish(Replica replica, long generation, ProbeResult result) {
        if (replica.probeGeneration != generation || !replica.probeInFlight) {
            return;
        }
        replica.probeInFlight = false;
        if (replica.probeTimeout != null) {
            replica.probeTimeout.cancel();
            replica.probeTimeout = null;
        }
        if (!replica.inService() || !loop.table.contains(replica) || loop.closing) {
            return;
        }
        if (result.healthy()) {
            passed(replica, result);
        } else {
            failed(replica, result);
        }
    }

    private void passed(Replica replica, ProbeResult result) {
        replica.lastProbeHealthy = true;
        replica.fails = 0;
        replica.passes++;
        long now = loop.nanos();
        if (replica.state == ReplicaState.READY) {
            loop.backoff.healthy(replica.port, now - replica.readySinceNanos);
            return;
        }
        if (replica.passes < (replica.adopted && !replica.everReady ? 1 : loop.config.rise())) {
            return;
        }
        boolean readmitted = replica.state == ReplicaState.UNHEALTHY;
        replica.state = ReplicaState.READY;
        replica.everReady = true;
        replica.readySinceNanos = now;
        if (readmitted) {
            loop.emit(new OrchestratorEvent.ReplicaHealthChanged(loop.now(), loop.service, replica.id,
                    replica.containerId, replica.port, true, result.reason()));
            loop.emit(new OrchestratorEvent.ReplicaReadmitted(loop.now(), loop.service, replica.id,
                    replica.containerId, replica.port));
        } else {
            loop.emit(new OrchestratorEvent.ReplicaReady(loop.now(), loop.service, replica.id,
                    replica.containerId, replica.port));
        }
    }

    private void failed(Replica replica, ProbeResult result) {
        replica.lastProbeHealthy = false;
        boolean ready = replica.state == ReplicaState.READY;
        if (!ready && loop.nanos() - replica.graceUntilNanos < 0) {
            return;
        }
        replica.passes = 0;
        replica.fails++;
        if (ready) {
            replica.state = ReplicaState.UNHEALTHY;
            loop.emit(new OrchestratorEvent.ReplicaHealthChanged(loop.now(), loop.service, replica.id,
                    replica.containerId, replica.port, false, result.reason()));
            loop.emit(new OrchestratorEvent.ReplicaEjected(loop.now(), loop.service, replica.id,
                    replica.containerId, replica.port, "probe failed: " + result.reason(),
                    loop.config.probeInterval().multipliedBy(loop.config.rise())));
        }
        if (replica.fails >= loop.config.fall()) {
            loop.lifecycle.replace(replica, "failed " + replica.fails + " probes in a row: " + result.reason(), true);
        }
    }
}
