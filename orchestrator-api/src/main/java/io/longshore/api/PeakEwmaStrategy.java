package io.longshore.api;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Peak EWMA with two random choices (Finagle, Linkerd): of two random candidates, the one with
 * the lower {@code latency × (inFlight + 1)}, the latency being the backend's
 * {@link Backend#peakEwmaNanos() peak EWMA} decayed to a common time (both decay by the same
 * factor to any later time, so no clock is read). A candidate without a response yet is given
 * the {@link Prior} of its list. Thread-safe (as the generator given) and allocation-free per
 * pick.
 */
final class PeakEwmaStrategy implements LoadBalancingStrategy {
    private final RandomGenerator random;
    private final Duration decay;
    private final double decayNanos;
    private final PerCandidates<Prior> priors = new PerCandidates<>((previous, candidates) -> new Prior());

    PeakEwmaStrategy(RandomGenerator random, Duration decay) {
        this.random = Objects.requireNonNull(random, "random");
        this.decay = decay;
        this.decayNanos = decay.toNanos();
    }

    @Override
    public int choose(List<Backend> candidates, RouteRequest request) {
        return chooseExcept(candidates, request, TwoChoices.NO_EXCLUSION);
    }

    @Override
    public int chooseExcept(List<Backend> candidates, RouteRequest request, int excluded) {
        int size = candidates.size();
        int available = TwoChoices.available(size, excluded);
        if (available <= 1) {
            return available == 0 ? NONE : TwoChoices.onlyOther(size, excluded);
        }
        long draw = TwoChoices.draw(random, size, excluded);
        int first = TwoChoices.first(draw);
        int second = TwoChoices.second(draw);
        return cheaper(candidates, second, first) ? second : first;
    }

    /** Whether candidate {@code b} costs less than {@code a} now. */
    private boolean cheaper(List<Backend> candidates, int b, int a) {
        Backend x = candidates.get(a);
        Backend y = candidates.get(b);
        double ex = x.peakEwmaNanos();
        double ey = y.peakEwmaNanos();
        long tx = x.peakEwmaAtNanos();
        long ty = y.peakEwmaAtNanos();
        if (Double.isNaN(ex) && Double.isNaN(ey)) {
            return y.inFlight() < x.inFlight(); // both would start from the same prior
        }
        if (Double.isNaN(ex) || Double.isNaN(ey)) {
            Prior prior = priors.of(candidates).compute(candidates, decayNanos);
            if (Double.isNaN(ex)) {
                ex = prior.nanos();
                tx = prior.atNanos();
            }
            if (Double.isNaN(ey)) {
                ey = prior.nanos();
                ty = prior.atNanos();
            }
        }
        double costX = Math.max(ex, 1) * (x.inFlight() + 1);
        double costY = Math.max(ey, 1) * (y.inFlight() + 1);
        long apart = ty - tx; // project the older estimate onto the newer one's time
        if (apart > 0) {
            costX *= Math.exp(-apart / decayNanos);
        } else if (apart < 0) {
            costY *= Math.exp(apart / decayNanos);
        }
        return costY < costX;
    }

    @Override
    public Duration latencyDecay() {
        return decay;
    }

    @Override
    public String toString() {
        return "peak-ewma";
    }

    /**
     * The estimate a candidate without a response starts from: the geometric mean of the
     * estimates of the candidates of its list that have one, each decayed to the newest of their
     * times (so the prior neither floods nor starves a new replica). Computed once per list, at
     * the first pick of a candidate without a response against one with a response. Thread-safe:
     * racing computations agree.
     */
    static final class Prior {
        private volatile boolean known;
        private double nanos;
        private long atNanos;

        /** This prior, computed now if it is not known yet and can be. */
        Prior compute(List<Backend> candidates, double decayNanos) {
            if (known) {
                return this;
            }
            long newest = Long.MIN_VALUE;
            for (int i = 0; i < candidates.size(); i++) {
                if (!Double.isNaN(candidates.get(i).peakEwmaNanos())) {
                    newest = Math.max(newest, candidates.get(i).peakEwmaAtNanos());
                }
            }
            if (newest == Long.MIN_VALUE) {
                return this;
            }
            double logSum = 0;
            int count = 0;
            for (int i = 0; i < candidates.size(); i++) {
                Backend backend = candidates.get(i);
                double estimate = backend.peakEwmaNanos();
                if (!Double.isNaN(estimate)) {
                    logSum += Math.log(Math.max(estimate, 1)) - (newest - backend.peakEwmaAtNanos()) / decayNanos;
                    count++;
                }
            }
            nanos = Math.exp(logSum / count);
            atNanos = newest;
            known = true;
            return this;
        }

        boolean known() {
            return known;
        }

        double nanos() {
            return nanos;
        }

        long atNanos() {
            return atNanos;
        }
    }
}
