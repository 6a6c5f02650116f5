package io.longshore.core;

import io.longshore.api.OrchestratorEvent;
import io.longshore.api.internal.UserCode;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The desired replica count, kept within min/max, and what last set it: a request or the scaling
 * policy (each change an event and a reconcile), with the policy's last decision, for the status.
 * The scaling ticker reads and sets it as its {@link ScalingTicker.Target}. Loop only, except
 * {@link #clamp} and {@link #requestReason}; not thread-safe.
 */
final class DesiredReplicas implements ScalingTicker.Target {
    private final ControlPort port;
    private final OrchestratorConfig config;
    private final Runnable reconcile;
    private final BooleanSupplier closing;
    private int desired;
    private Optional<OrchestratorStatus.Scaling> lastScaling = Optional.empty();
    private Optional<OrchestratorEvent.ScalingDecided> lastDecision = Optional.empty();

    /**
     * @param reconcile runs after each change of the count
     * @param closing   whether the orchestrator closes: then the count no longer changes
     */
    DesiredReplicas(ControlPort port, OrchestratorConfig config, Runnable reconcile, BooleanSupplier closing) {
        this.port = port;
        this.config = config;
        this.reconcile = reconcile;
        this.closing = closing;
        this.desired = config.initialReplicas();
    }

    @Override
    public int desired() {
        return desired;
    }

    @Override
    public Optional<Instant> lastScaledAt() {
        return lastScaling.map(OrchestratorStatus.Scaling::at);
    }

    /** Sets the count to {@code to} (already clamped) for {@code reason}, unless it is that already or closing. */
    @Override
    public void scaleTo(int to, String reason) {
        int from = desired;
        if (to == from || closing.getAsBoolean()) {
            return;
        }
        desired = to;
        Instant at = port.now();
        lastScaling = Optional.of(new OrchestratorStatus.Scaling(at, from, to, reason));
        port.emit(new OrchestratorEvent.Scaled(at, port.service(), from, to, reason));
        reconcile.run();
    }

    /** Every decision goes to the listeners; the ring keeps those that changed the count or the mode. */
    @Override
    public void decided(OrchestratorEvent.ScalingDecided decision) {
        boolean keep = decision.to() != decision.from()
                || lastDecision.map(last -> !last.mode().equals(decision.mode())).orElse(true);
        lastDecision = Optional.of(decision);
        if (keep) {
            port.emit(decision);
        } else {
            port.tell(decision);
        }
    }

    /** At start: at least the {@code adopted} replicas are wanted (within min/max), without an event. */
    void atLeast(int adopted) {
        desired = clamp(Math.max(desired, adopted));
    }

    /** {@code replicas} within min/max. Any thread. */
    int clamp(int replicas) {
        return Math.max(config.minReplicas(), Math.min(config.maxReplicas(), replicas));
    }

    /** Why the count becomes {@code clamped} when {@code requested} was asked for. Any thread. */
    String requestReason(int requested, int clamped) {
        return clamped == requested ? "scaled to " + requested + " by request"
                : "scaled to " + clamped + " by request for " + requested + " (min " + config.minReplicas()
                        + ", max " + config.maxReplicas() + ")";
    }

    /** The orchestrator's status with {@code ready} replicas ready. */
    OrchestratorStatus status(int ready) {
        return new OrchestratorStatus(port.service(), desired, ready, config.minReplicas(),
                config.maxReplicas(), UserCode.name(config.strategy()), UserCode.name(config.scalingPolicy()),
                lastScaling, lastDecision);
    }
}
