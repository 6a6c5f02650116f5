package io.longshore.api;

import io.longshore.api.ScalingDecision.Mode;
import io.longshore.api.TargetTracking.TrackedMetric;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@link ScalingPolicy#targetTracking}: observes its metric over the stable window (or, while
 * bursting, the burst window), recommends {@code ceil(observed / target)}, then applies in order
 * the tolerance band, no scale-down while bursting, one replica at least until idle, the
 * scale-down stabilisation, the scale-down delay, the rate limits and min/max; idle for its idle
 * period, it goes to zero at once. Keeps state between decisions (burst mode, the history of
 * recommendations, the last activity), so {@link #newInstance()} gives each orchestrator its own.
 * Confined to the control loop that calls it.
 */
final class TargetTrackingPolicy implements ScalingPolicy {
    private final TargetTracking settings;
    private final ObservedDemand demand;
    private final ArrayDeque<Recommendation> history = new ArrayDeque<>();
    private boolean bursting;
    private Instant lastBurst;
    private Instant lastActive;
    private Instant lastDecision;

    private record Recommendation(Instant at, int replicas) {
    }

    TargetTrackingPolicy(TargetTracking settings) {
        this.settings = java.util.Objects.requireNonNull(settings, "settings");
        this.demand = new ObservedDemand(settings);
    }

    @Override
    public int decide(ScalingContext context) {
        return decision(context).replicas();
    }

    @Override
    public ScalingDecision decision(ScalingContext context) {
        Instant now = context.now();
        boolean active = wasActive(context);
        lastDecision = now;
        int current = context.currentReplicas();
        double stable = demand.observe(context, settings.stableWindow());
        double burst = demand.observeBurst(context);
        updateBurst(burst, current, now);
        if (!active && context.minReplicas() == 0 && !lastActive.plus(settings.idle()).isAfter(now)) {
            bursting = false;
            history.clear();
            return new ScalingDecision(0, settings.metric().label(), stable, settings.effectiveTarget(),
                    settings.stableWindow(), Mode.IDLE, 0, List.of());
        }
        double observed = bursting ? burst : stable;
        Duration window = bursting ? settings.burstWindow() : settings.stableWindow();
        if (Double.isNaN(observed)) {
            return new ScalingDecision(current, settings.metric().label(), observed, settings.effectiveTarget(),
                    window, Mode.STABLE, current, List.of("no reading"));
        }
        int recommendation = recommend(observed, current);
        List<String> clamps = new ArrayList<>();
        int replicas = guards(recommendation, observed, current, context, clamps);
        replicas = limits(replicas, current, context, clamps);
        return new ScalingDecision(replicas, settings.metric().label(), observed, settings.effectiveTarget(), window,
                bursting ? Mode.BURST : Mode.STABLE, recommendation, clamps);
    }

    /** Whether anything arrived, ran or waited since the last decision (the first decision counts as activity). */
    private boolean wasActive(ScalingContext context) {
        Instant now = context.now();
        Duration since = lastDecision == null ? Duration.ZERO : Duration.between(lastDecision, now);
        LoadMetrics metrics = context.metrics();
        boolean active = lastActive == null || metrics.inFlight() > 0 || metrics.waiting(Duration.ZERO) > 0
                || metrics.requestCount(since) > 0;
        if (active) {
            lastActive = now;
        }
        return active;
    }

    private void updateBurst(double burst, int current, Instant now) {
        double capacity = settings.metric().additive() ? current * settings.effectiveTarget() : settings.effectiveTarget();
        if (burst > 0 && burst >= settings.burstThreshold() * capacity) {
            bursting = true;
            lastBurst = now;
        } else if (bursting && !lastBurst.plus(settings.stableWindow()).isAfter(now)) {
            bursting = false;
        }
    }

    /** What the metric alone asks for. */
    private int recommend(double observed, int current) {
        double per = settings.effectiveTarget();
        double wanted = settings.metric().additive() ? observed / per : current * observed / per;
        return (int) Math.min(Integer.MAX_VALUE, Math.ceil(wanted - 1e-9));
    }

    /** Tolerance, bursting, the last replica, stabilisation and delay. */
    private int guards(int recommendation, double observed, int current, ScalingContext context, List<String> clamps) {
        int replicas = recommendation;
        if (current > 0 && replicas != current) {
            double capacity = settings.metric().additive() ? current * settings.effectiveTarget() : settings.effectiveTarget();
            if (Math.abs(observed / capacity - 1) <= settings.tolerance()) {
                replicas = clamp(current, "tolerance", clamps);
            }
        }
        if (bursting && replicas < current) {
            replicas = clamp(current, "bursting: no scale-down", clamps);
        }
        if (replicas == 0 && (current > 0 || context.metrics().waiting(Duration.ZERO) > 0)) {
            replicas = clamp(1, context.metrics().waiting(Duration.ZERO) > 0 ? "requests waiting" : "not idle yet", clamps);
        }
        replicas = stabilised(replicas, current, context.now(), clamps);
        Optional<Instant> lastScaled = context.lastScaledAt();
        if (replicas < current && lastScaled.isPresent()
                && lastScaled.get().plus(settings.scaleDownDelay()).isAfter(context.now())) {
            replicas = clamp(current, "scale-down delay", clamps);
        }
        return replicas;
    }

    /** A scale-down goes no lower than the highest recommendation within the stabilisation window. */
    private int stabilised(int replicas, int current, Instant now, List<String> clamps) {
        history.addLast(new Recommendation(now, replicas));
        Instant oldest = now.minus(settings.scaleDownStabilization());
        while (!history.isEmpty() && history.peekFirst().at().isBefore(oldest)) {
            history.removeFirst();
        }
        if (replicas >= current) {
            return replicas;
        }
        int highest = history.stream().mapToInt(Recommendation::replicas).max().orElse(replicas);
        int floor = Math.min(current, highest);
        return floor > replicas ? clamp(floor, "stabilisation", clamps) : replicas;
    }

    /** The rate limits, then min and max. */
    private int limits(int replicas, int current, ScalingContext context, List<String> clamps) {
        if (replicas > current) {
            long up = (long) Math.ceil(Math.max(current, 1) * settings.maxScaleUpRate());
            if (replicas > up) {
                replicas = clamp((int) Math.min(Integer.MAX_VALUE, up), "max scale-up rate", clamps);
            }
        } else if (replicas < current) {
            int down = (int) Math.floor(current / settings.maxScaleDownRate());
            if (replicas < down) {
                replicas = clamp(down, "max scale-down rate", clamps);
            }
        }
        if (replicas > context.maxReplicas()) {
            replicas = clamp(context.maxReplicas(), "max", clamps);
        } else if (replicas < context.minReplicas()) {
            replicas = clamp(context.minReplicas(), "min", clamps);
        }
        return replicas;
    }

    private static int clamp(int replicas, String why, List<String> clamps) {
        clamps.add(why);
        return replicas;
    }

    @Override
    public ScalingPolicy newInstance() {
        return new TargetTrackingPolicy(settings);
    }

    @Override
    public Optional<Duration> tick() {
        return Optional.of(settings.tick());
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "target-tracking(%s %s per replica%s)", settings.metric().label(),
                number(settings.target()),
                settings.utilisation() < 1 ? " at " + number(settings.utilisation() * 100) + "%" : "");
    }

    private static String number(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }
}
