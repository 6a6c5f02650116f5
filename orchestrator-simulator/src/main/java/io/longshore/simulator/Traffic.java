package io.longshore.simulator;

import io.longshore.api.internal.Checks;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.DoubleUnaryOperator;

/**
 * The requests a simulation sends: a shape that, once {@link #drive driven}, schedules its
 * arrivals on the simulation's {@link Arrivals}. Open-loop shapes send Poisson arrivals at a rate
 * that changes with time (constant, step, spike, ramp, diurnal, noisy, or any rate function);
 * closed-loop shapes are clients that each send their next request when the last one is done;
 * {@link #timestamps} replays given times. Shapes combine with {@link #and}. A lambda is a shape.
 */
@FunctionalInterface
public interface Traffic {

    /** Schedules this shape's requests from the start of the simulation. */
    void drive(Arrivals arrivals);

    /**
     * The requests this shape keeps in flight on average at {@code seconds} since the start, when
     * each takes {@code meanServiceSeconds}: its rate times the service time (Little's law) for an
     * open-loop shape, its clients for a closed-loop one. NaN when the shape cannot tell; the
     * oracle and the time to capacity need it.
     */
    default double offeredConcurrency(double seconds, double meanServiceSeconds) {
        return Double.NaN;
    }

    /** This shape and {@code other} at once. */
    default Traffic and(Traffic other) {
        return new CombinedTraffic(this, Objects.requireNonNull(other, "other"));
    }

    /** Poisson arrivals at {@code perSecond} requests a second, throughout. */
    static Traffic constant(double perSecond) {
        requireRate(perSecond, "perSecond");
        return rate(t -> perSecond, perSecond, "constant(" + perSecond + "/s)");
    }

    /** {@code before} requests a second until {@code at}, then {@code after}. */
    static Traffic step(double before, double after, Duration at) {
        requireRate(before, "before");
        requireRate(after, "after");
        double switchAt = seconds(Checks.requireNotNegative(at, "at"));
        return rate(t -> t < switchAt ? before : after, Math.max(before, after),
                "step(" + before + "/s -> " + after + "/s at " + at + ")");
    }

    /** {@code base} requests a second, {@code peak} from {@code at} for {@code length}. */
    static Traffic spike(double base, double peak, Duration at, Duration length) {
        requireRate(base, "base");
        requireRate(peak, "peak");
        double from = seconds(Checks.requireNotNegative(at, "at"));
        double to = from + seconds(Checks.requirePositive(length, "length"));
        return rate(t -> t >= from && t < to ? peak : base, Math.max(base, peak),
                "spike(" + base + "/s, " + peak + "/s at " + at + " for " + length + ")");
    }

    /** {@code from} requests a second, then from {@code start} a straight line to {@code to} over {@code length}. */
    static Traffic ramp(double from, double to, Duration start, Duration length) {
        requireRate(from, "from");
        requireRate(to, "to");
        double begin = seconds(Checks.requireNotNegative(start, "start"));
        double span = seconds(Checks.requirePositive(length, "length"));
        return rate(t -> t < begin ? from : t >= begin + span ? to : from + (to - from) * (t - begin) / span,
                Math.max(from, to), "ramp(" + from + "/s -> " + to + "/s from " + start + " over " + length + ")");
    }

    /** A day's swing: from {@code low} requests a second up to {@code high} and back, once a {@code period}. */
    static Traffic diurnal(double low, double high, Duration period) {
        requireRate(low, "low");
        requireRate(high, "high");
        double span = seconds(Checks.requirePositive(period, "period"));
        return rate(t -> low + (high - low) * (1 - Math.cos(2 * Math.PI * t / span)) / 2, Math.max(low, high),
                "diurnal(" + low + "/s..." + high + "/s per " + period + ")");
    }

    /**
     * Steady load with noise: Poisson arrivals at a rate that wanders within
     * {@code perSecond × (1 ± amplitude)}, moving to a new random level every {@code every}.
     */
    static Traffic noisy(double perSecond, double amplitude, Duration every) {
        requireRate(perSecond, "perSecond");
        if (!(amplitude >= 0 && amplitude < 1)) {
            throw new IllegalArgumentException("amplitude must be in [0, 1), was " + amplitude);
        }
        return new NoisyTraffic(perSecond, amplitude, Checks.requirePositive(every, "every"));
    }

    /** Poisson arrivals at {@code perSecond.applyAsDouble(seconds since the start)}, which never exceeds {@code maxPerSecond}. */
    static Traffic rate(DoubleUnaryOperator perSecond, double maxPerSecond) {
        return rate(perSecond, maxPerSecond, "rate(max " + maxPerSecond + "/s)");
    }

    private static Traffic rate(DoubleUnaryOperator perSecond, double maxPerSecond, String name) {
        requireRate(maxPerSecond, "maxPerSecond");
        return new RateTraffic(Objects.requireNonNull(perSecond, "perSecond"), maxPerSecond, name);
    }

    /**
     * {@code clients} closed-loop clients from {@code from} for {@code length}: each sends a
     * request, waits for its outcome, waits {@code think}, and sends the next.
     */
    static Traffic clients(int clients, Duration from, Duration length, Duration think) {
        return new ClosedLoopTraffic(Checks.requireAtLeast(clients, 1, "clients"),
                Checks.requireNotNegative(from, "from"), Checks.requirePositive(length, "length"),
                Checks.requireNotNegative(think, "think"));
    }

    /** Nothing for {@code idle}, then {@code clients} closed-loop clients without pause for {@code length}. */
    static Traffic idleThenBurst(Duration idle, int clients, Duration length) {
        return clients(clients, idle, length, Duration.ZERO);
    }

    /** One request at each of {@code times} since the start. */
    static Traffic timestamps(List<Duration> times) {
        List<Duration> copy = List.copyOf(Objects.requireNonNull(times, "times"));
        copy.forEach(time -> Checks.requireNotNegative(time, "time"));
        return arrivals -> {
            for (Duration time : copy) {
                arrivals.at(time.toNanos(), () -> arrivals.send(() -> { }));
            }
        };
    }

    private static void requireRate(double value, String name) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be a rate >= 0, was " + value);
        }
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }
}
