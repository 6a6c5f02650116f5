package io.longshore.examples.config;

import io.longshore.api.LoadMetrics;
import io.longshore.api.ScalingPolicy;
import io.longshore.examples.config.ServiceSettings.Autoscaler;
import io.longshore.examples.seed.AutoscalerOptions;
import io.longshore.examples.seed.AutoscalerOptions.Kind;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Reads {@code autoscaler: {type: target, …}}: target tracking of the requests in flight per
 * replica, as the seed main's {@code --autoscaler target}, with the seed's defaults
 * ({@link AutoscalerOptions#DEFAULTS}). Keys: {@code targetConcurrency}, {@code tick} (how often it
 * decides; it is the scaling interval, so {@code interval} is refused), {@code stableWindow},
 * {@code burstWindow}, {@code idle} (scale to zero; needs {@code replicas.min: 0}) and
 * {@code containerConcurrency}. The waiting line that holds requests while no replica has room
 * is the gateway's ({@code gateway.maxWaiting}, {@code gateway.maxWait}). Stateless.
 */
final class TargetAutoscaler {
    /** The type's name in a config file. */
    static final String TYPE = "target";
    /** Concurrency limits above this are surely a typo. */
    static final int MAX_CONTAINER_CONCURRENCY = 100_000;

    private TargetAutoscaler() {
    }

    /** The policy, interval and concurrency limit {@code settings} describe; the defaults' where a value is bad. */
    static Autoscaler read(ConfigNode settings, int minReplicas) {
        AutoscalerOptions d = AutoscalerOptions.DEFAULTS;
        settings.child("interval").ifPresent(interval ->
                interval.problem("target tracking decides every 'tick'; set that instead of 'interval'"));
        int target = settings.integer("targetConcurrency", d.targetConcurrency(), 1, Integer.MAX_VALUE);
        Duration tick = settings.duration("tick", d.scaleTick(), false);
        Duration stable = settings.duration("stableWindow", d.stableWindow(), false);
        if (!ConfigCatalog.measurable(stable, settings.child("stableWindow").orElse(settings), "")) {
            stable = LoadMetrics.MAX_WINDOW;
        }
        Duration burst = settings.duration("burstWindow", d.burstWindow(), false);
        Optional<Duration> idle = settings.duration("idle", false);
        int concurrency = settings.integer("containerConcurrency", d.containerConcurrency(), 0,
                MAX_CONTAINER_CONCURRENCY);
        if (idle.isPresent() && minReplicas != 0) {
            settings.child("idle").orElse(settings).problem("scales to zero and needs replicas.min: 0, but min is "
                    + minReplicas);
        }
        if (burst.compareTo(stable) > 0) {
            settings.child("burstWindow").orElse(settings).problem("(" + ValueFormats.format(burst)
                    + ") must not be longer than stableWindow (" + ValueFormats.format(stable) + ")");
            burst = stable;
        }
        AutoscalerOptions options = new AutoscalerOptions(Kind.TARGET, target, tick, stable, burst,
                minReplicas == 0 ? idle : Optional.empty(), d.maxWaiting(), d.maxWait(), concurrency);
        Optional<ScalingPolicy> policy;
        try {
            policy = Optional.of(ScalingPolicy.targetTracking(options.targetTracking()));
        } catch (IllegalArgumentException e) {
            settings.problem(e.getMessage());
            policy = Optional.empty();
        }
        return new Autoscaler(TYPE, policy, Optional.of(tick), OptionalInt.of(concurrency));
    }
}
