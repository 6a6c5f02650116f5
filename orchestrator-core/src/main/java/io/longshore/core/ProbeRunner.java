package io.longshore.core;

import io.longshore.api.Backend;
import io.longshore.api.HealthProbe;
import io.longshore.api.ProbeResult;
import io.longshore.api.Scheduler.Cancellable;
import io.longshore.api.internal.UserCode;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;

/**
 * Probes every replica whose endpoint is known and that is not leaving, each probe interval;
 * enforces the probe timeout and turns results into transitions: {@code rise} passes make a
 * replica ready (one for an adopted replica), the first failure of a ready or ejected one makes
 * it unhealthy, {@code rise} passes make it ready again, and {@code fall} failures in a row are
 * handed to its owner as a replacement decision. Failures of a replica not yet ready do not
 * count during the start grace period. A probe that throws, returns null, fails or times out
 * reads as a failure. The probe's {@code probe()} call itself runs on the probe executor, one at
 * a time per replica, so a probe that blocks holds up only its own replica's checks: they time
 * out, and while that call has not returned each interval counts as one more failure. Loop
 * only; not thread-safe.
 */
final class ProbeRunner {
    private final ControlPort control;
    private final ReplicaTable table;
    private final HealthProbe probe;
    private final Executor caller;
    private final long intervalNanos;
    private final Duration timeout;
    private final int rise;
    private final int fall;
    private final BiConsumer<Replica, String> replace;
    private final Map<Replica, Track> tracks = new HashMap<>();
    private long nextTickNanos;
    private boolean started;
    private boolean stopped;

    /** The probe bookkeeping of one replica. */
    private static final class Track {
        int passes;
        int fails;
        boolean inFlight;
        /** The probe's {@code probe()} call has not returned yet (it runs off the loop). */
        boolean calling;
        /** When the latest verdict was given, to count a call that has not returned once per interval. */
        long verdictNanos;
        long generation;
        long deadlineNanos;
        Cancellable timeout;
        /** The probe's stage while it is in flight, to cancel when it times out. */
        CompletionStage<ProbeResult> stage;
        boolean lastHealthy;
    }

    /**
     * @param caller where the probe's {@code probe()} calls run (they may block)
     * @param replace the owner's decision sink: replace this replica, for this reason
     */
    ProbeRunner(ControlPort control, ReplicaTable table, OrchestratorConfig config, Executor caller,
                BiConsumer<Replica, String> replace) {
        this.control = control;
        this.table = table;
        this.probe = config.probe();
        this.caller = caller;
        this.intervalNanos = config.probeInterval().toNanos();
        this.timeout = config.probeTimeout();
        this.rise = config.rise();
        this.fall = config.fall();
        this.replace = replace;
    }

    /** Probes now and every interval from now on. Idempotent. */
    void start() {
        if (started || stopped) {
            return;
        }
        started = true;
        nextTickNanos = control.nanos();
        tick();
    }

    /** No more probes, no more verdicts. */
    void stop() {
        stopped = true;
    }

    /** Whether the replica's latest probe passed. */
    boolean lastHealthy(Replica replica) {
        Track track = tracks.get(replica);
        return track != null && track.lastHealthy;
    }

    private void tick() {
        if (stopped) {
            return;
        }
        long now = control.nanos();
        int probed = 0;
        for (Replica replica : table.all()) {
            if (!replica.phase().probed()) {
                continue;
            }
            probed++;
            Track track = tracks.computeIfAbsent(replica, r -> new Track());
            if (track.inFlight && now - track.deadlineNanos >= 0) {
                timeOut(replica, track.generation);
            }
            if (!track.inFlight) {
                if (!track.calling) {
                    probe(replica, track, now);
                } else if (now - track.verdictNanos >= intervalNanos) {
                    stillCalling(replica, track);
                }
            }
        }
        if (tracks.size() > probed) {
            tracks.keySet().removeIf(replica -> !replica.phase().probed() || !table.contains(replica));
        }
        nextTickNanos += intervalNanos;
        control.later(Duration.ofNanos(Math.max(0, nextTickNanos - control.nanos())), this::tick);
    }

    private void probe(Replica replica, Track track, long now) {
        track.inFlight = true;
        track.calling = true;
        long generation = ++track.generation;
        track.deadlineNanos = now + timeout.toNanos();
        track.timeout = control.later(timeout, () -> timeOut(replica, generation));
        Backend backend = replica.backend();
        try {
            caller.execute(() -> call(replica, backend, generation));
        } catch (RuntimeException | Error e) { // saturated (stuck calls), shutting down, or a user executor's bug
            UserCode.rethrowIfFatal(e);
            notRun(track, e);
        }
    }

    /**
     * The probe executor did not take the call: no verdict this interval (a saturated executor
     * says nothing about this replica), and the failure is reported.
     */
    private void notRun(Track track, Throwable error) {
        track.calling = false;
        track.inFlight = false;
        if (track.timeout != null) {
            track.timeout.cancel();
            track.timeout = null;
        }
        control.userCodeFailed("probe executor " + UserCode.name(caller), "did not take a probe call: " + error);
    }

    /** Off the loop: asks the probe, and brings what it answered (or threw) back to the loop. */
    private void call(Replica replica, Backend backend, long generation) {
        CompletionStage<ProbeResult> stage;
        try {
            stage = probe.probe(backend);
        } catch (RuntimeException | Error e) {
            UserCode.rethrowIfFatal(e);
            control.post(() -> answered(replica, generation, null, String.valueOf(e), "probe threw " + e));
            return;
        }
        if (stage == null) {
            control.post(() -> answered(replica, generation, null, "returned null instead of a stage",
                    "probe returned null"));
            return;
        }
        control.post(() -> answered(replica, generation, stage, null, null));
        stage.whenComplete((result, error) -> control.post(() -> finish(replica, generation, outcome(result, error))));
    }

    /**
     * The {@code probe()} call of {@code generation} returned {@code stage}, or failed as
     * {@code error} says (then {@code failure} is the result). A stage that comes after the probe
     * timed out is cancelled.
     */
    private void answered(Replica replica, long generation, CompletionStage<ProbeResult> stage, String error,
                          String failure) {
        Track track = tracks.get(replica);
        boolean current = track != null && track.generation == generation;
        if (current) {
            track.calling = false;
        }
        if (error != null) {
            control.userCodeFailed("probe " + UserCode.name(probe), error);
            finish(replica, generation, ProbeResult.fail(failure));
        } else if (current && track.inFlight) {
            track.stage = stage;
        } else {
            cancel(stage);
        }
    }

    /** A probe interval passed while the replica's previous {@code probe()} call has still not returned. */
    private void stillCalling(Replica replica, Track track) {
        track.inFlight = true;
        long generation = track.generation;
        finish(replica, generation, ProbeResult.fail("the probe's call has not returned (probe() must not block)"));
    }

    /**
     * Fails probe {@code generation} of {@code replica} for its timeout and cancels its stage, so
     * that a probe that never completes does not keep every stage (and its callback) it made.
     */
    private void timeOut(Replica replica, long generation) {
        Track track = tracks.get(replica);
        CompletionStage<ProbeResult> pending = track != null && track.generation == generation && track.inFlight
                ? track.stage : null;
        finish(replica, generation, timedOut());
        if (pending != null) {
            cancel(pending);
        }
    }

    private static void cancel(CompletionStage<ProbeResult> stage) {
        try {
            stage.toCompletableFuture().cancel(true);
        } catch (RuntimeException | Error e) { // a stage that cannot be cancelled (or converted)
            UserCode.rethrowIfFatal(e);
        }
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
        Track track = tracks.get(replica);
        if (track == null || track.generation != generation || !track.inFlight) {
            return;
        }
        track.inFlight = false;
        track.stage = null;
        track.verdictNanos = control.nanos();
        if (track.timeout != null) {
            track.timeout.cancel();
            track.timeout = null;
        }
        if (stopped || !replica.phase().probed() || !table.contains(replica)) {
            return;
        }
        if (result.healthy()) {
            passed(replica, track, result);
        } else {
            failed(replica, track, result);
        }
    }

    private void passed(Replica replica, Track track, ProbeResult result) {
        track.lastHealthy = true;
        track.fails = 0;
        track.passes++;
        switch (replica.phase()) {
            case ADOPTED -> replica.ready();
            case STARTING -> {
                if (track.passes >= rise) {
                    replica.ready();
                }
            }
            case UNHEALTHY -> {
                if (track.passes >= rise) {
                    replica.recovered(result.reason());
                }
            }
            default -> { } // READY stays; EJECTED waits for its ejection to end
        }
    }

    private void failed(Replica replica, Track track, ProbeResult result) {
        track.lastHealthy = false;
        track.passes = 0; // rise counts passes in a row: a failure in the grace ends the run too
        if (replica.inStartGrace(control.nanos())) {
            return;
        }
        track.fails++;
        if (replica.phase() == ReplicaPhase.READY || replica.phase() == ReplicaPhase.EJECTED) {
            replica.unhealthy(result.reason(), Duration.ofNanos(intervalNanos).multipliedBy(rise));
        }
        if (track.fails >= fall) {
            replace.accept(replica, "failed " + track.fails + " probes in a row: " + result.reason());
        }
    }
}
