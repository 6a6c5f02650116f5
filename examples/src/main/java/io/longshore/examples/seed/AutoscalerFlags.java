package io.longshore.examples.seed;

import io.longshore.api.LoadMetrics;
import io.longshore.examples.seed.AutoscalerOptions.Kind;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the seed main's autoscaler flags ({@code --autoscaler} and the target-tracking ones) for
 * {@link SeedOptionsParser}, then checks them together with the replica count. Not thread-safe;
 * one use.
 */
final class AutoscalerFlags {
    private final AutoscalerOptions d = AutoscalerOptions.DEFAULTS;
    private Kind kind = d.kind();
    private int targetConcurrency = d.targetConcurrency();
    private Duration scaleTick = d.scaleTick();
    private Duration stableWindow = d.stableWindow();
    private Duration burstWindow = d.burstWindow();
    private Optional<Duration> idle = d.idle();
    private int maxWaiting = d.maxWaiting();
    private Duration maxWait = d.maxWait();
    private int containerConcurrency = d.containerConcurrency();

    static boolean isKnown(String flag) {
        return flag.equals("--autoscaler") || AutoscalerOptions.TARGET_FLAGS.contains(flag);
    }

    /** Reads {@code flag}; false when it is not an autoscaler flag. */
    boolean apply(String flag, String value) {
        switch (flag) {
            case "--autoscaler" -> kind = kind(value);
            case "--target-concurrency" -> targetConcurrency = FlagValues.integer(value, flag, 1);
            case "--scale-tick" -> scaleTick = Durations.parse(value, flag);
            case "--stable-window" -> stableWindow = Durations.parse(value, flag);
            case "--burst-window" -> burstWindow = Durations.parse(value, flag);
            case "--idle" -> idle = Optional.of(Durations.parse(value, flag));
            case "--max-waiting" -> maxWaiting = FlagValues.integer(value, flag, 0);
            case "--max-wait" -> maxWait = Durations.parse(value, flag);
            case "--container-concurrency" -> containerConcurrency = FlagValues.integer(value, flag, 0);
            default -> {
                return false;
            }
        }
        return true;
    }

    /** The options as read, as far as they are read (for {@code --help}). */
    AutoscalerOptions options() {
        return new AutoscalerOptions(kind, targetConcurrency, scaleTick, stableWindow, burstWindow, idle, maxWaiting,
                maxWait, containerConcurrency);
    }

    /** The options, checked against the other flags {@code given}, the fewest replicas and static backends. */
    AutoscalerOptions checked(Set<String> given, int min, boolean staticBackends) {
        if (staticBackends && given.contains("--autoscaler")) {
            throw new UsageException("--autoscaler makes no sense with --static-backends (nothing is scaled)");
        }
        if (kind == Kind.SEED) {
            for (String flag : AutoscalerOptions.TARGET_FLAGS) {
                if (given.contains(flag)) {
                    throw new UsageException(flag + " applies to --autoscaler target only");
                }
            }
            return options();
        }
        for (String flag : List.of("--scale-interval", "--requests-per-replica")) {
            if (given.contains(flag)) {
                throw new UsageException(flag + " applies to --autoscaler seed only; target tracking decides every"
                        + " --scale-tick");
            }
        }
        if (idle.isPresent() && min != 0) {
            throw new UsageException("--idle scales to zero and needs --min 0, but --min is " + min);
        }
        if (min == 0 && maxWaiting == 0) {
            throw new UsageException("--min 0 with --autoscaler target needs the gateway's waiting line, but"
                    + " --max-waiting is 0: once at zero replicas, a request would get 503 at once and nothing would"
                    + " bring a replica back");
        }
        if (stableWindow.compareTo(LoadMetrics.MAX_WINDOW) > 0) {
            throw new UsageException("--stable-window (" + Durations.format(stableWindow) + ") must not be longer than"
                    + " the " + Durations.format(LoadMetrics.MAX_WINDOW) + " the gateway measures load over");
        }
        if (burstWindow.compareTo(stableWindow) > 0) {
            throw new UsageException("--burst-window (" + Durations.format(burstWindow)
                    + ") must not be longer than --stable-window (" + Durations.format(stableWindow) + ")");
        }
        return options();
    }

    private static Kind kind(String value) {
        try {
            return Kind.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--autoscaler must be seed or target, was '" + value + "'");
        }
    }
}
