package io.longshore.examples.seed;

import io.longshore.api.TargetTracking;
import io.longshore.core.OrchestratorBuilder;
import io.longshore.core.WaitingLine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The seed main's autoscaler flags: which policy scales the replicas and, for target tracking,
 * its settings and the gateway's waiting line. Immutable; {@link SeedOptionsParser} checks them.
 *
 * @param kind                 {@code --autoscaler}: the seed's request count, or target tracking
 * @param targetConcurrency    {@code --target-concurrency}: requests in flight per replica to aim at
 * @param scaleTick            {@code --scale-tick}: how often target tracking decides
 * @param stableWindow         {@code --stable-window}: the window it decides on
 * @param burstWindow          {@code --burst-window}: the short window that detects bursts
 * @param idle                 {@code --idle}: to zero after this long without a request (with {@code --min 0});
 *                             empty for the stable window
 * @param maxWaiting           {@code --max-waiting}: requests the gateway holds at most while no replica has room
 * @param maxWait              {@code --max-wait}: how long a held request waits at most
 * @param containerConcurrency {@code --container-concurrency}: requests one replica takes at once, 0 for no limit
 */
public record AutoscalerOptions(Kind kind, int targetConcurrency, Duration scaleTick, Duration stableWindow,
                                Duration burstWindow, Optional<Duration> idle, int maxWaiting, Duration maxWait,
                                int containerConcurrency) {

    /** Which policy scales the replicas. */
    public enum Kind {
        /** The seed's {@code requestsPerReplica(n, interval)}: requests in the window / n + 1. */
        SEED,
        /** {@code ScalingPolicy.targetTracking}: concurrency per replica, burst mode, scale to zero. */
        TARGET
    }

    /** The flags only {@code --autoscaler target} reads. */
    static final List<String> TARGET_FLAGS = List.of("--target-concurrency", "--scale-tick", "--stable-window",
            "--burst-window", "--idle", "--max-waiting", "--max-wait", "--container-concurrency");

    /** The defaults: the seed's autoscaler; target tracking's as the issue gives them. */
    public static final AutoscalerOptions DEFAULTS = new AutoscalerOptions(Kind.SEED, 10, TargetTracking.DEFAULT_TICK,
            TargetTracking.DEFAULT_STABLE_WINDOW, TargetTracking.DEFAULT_BURST_WINDOW, Optional.empty(),
            WaitingLine.DEFAULT_MAX_LENGTH, WaitingLine.DEFAULT_MAX_WAIT, OrchestratorBuilder.DEFAULT_CONTAINER_CONCURRENCY);

    public AutoscalerOptions {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(scaleTick, "scaleTick");
        Objects.requireNonNull(stableWindow, "stableWindow");
        Objects.requireNonNull(burstWindow, "burstWindow");
        Objects.requireNonNull(idle, "idle");
        Objects.requireNonNull(maxWait, "maxWait");
        if (targetConcurrency < 1 || maxWaiting < 0 || containerConcurrency < 0) {
            throw new IllegalArgumentException("targetConcurrency must be >= 1, maxWaiting and containerConcurrency >= 0");
        }
    }

    /** The target-tracking settings these options give (meaningful for {@link Kind#TARGET}). */
    public TargetTracking targetTracking() {
        TargetTracking.Builder builder = TargetTracking.builder().target(targetConcurrency).tick(scaleTick)
                .stableWindow(stableWindow).burstWindow(burstWindow);
        idle.ifPresent(builder::idle);
        return builder.build();
    }

    /** The flags that reproduce these options; none for the seed autoscaler. */
    List<String> toArgs() {
        List<String> args = new ArrayList<>();
        if (kind == Kind.SEED) {
            return args;
        }
        args.addAll(List.of("--autoscaler", kind.name().toLowerCase(Locale.ROOT),
                "--target-concurrency", String.valueOf(targetConcurrency),
                "--scale-tick", Durations.format(scaleTick), "--stable-window", Durations.format(stableWindow),
                "--burst-window", Durations.format(burstWindow), "--max-waiting", String.valueOf(maxWaiting),
                "--max-wait", Durations.format(maxWait), "--container-concurrency", String.valueOf(containerConcurrency)));
        idle.ifPresent(d -> args.addAll(List.of("--idle", Durations.format(d))));
        return args;
    }
}
