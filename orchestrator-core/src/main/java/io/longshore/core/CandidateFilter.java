package io.longshore.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides which backends a router may pick from, for the orchestrator and for fixed backends
 * alike: a chain of {@link Step steps}, each of which keeps a candidate, drops it, or lowers its
 * weight, then the panic threshold. The standard chain is health → outlier ejection → draining
 * (a slow-start step that lowers the weight of newly ready replicas goes after draining), then
 * panic: when fewer than {@code panicThresholdPercent} of the candidates in the panic pool (ready
 * once and not leaving) survive the steps, all of the pool is routed at full weight instead, so
 * that a few survivors are not overloaded. The strategy then picks from what is left.
 * Immutable; thread-safe.
 */
final class CandidateFilter {

    /** One step of the chain. */
    @FunctionalInterface
    interface Step {
        /**
         * What this step makes of {@code candidate} at {@code nowNanos}: the candidate itself, the
         * candidate with a lower weight ({@link Candidate#withWeight}), or empty to drop it.
         */
        Optional<Candidate> apply(Candidate candidate, long nowNanos);
    }

    /** Drops candidates that do not pass their probes (not yet ready, or unhealthy). */
    static final Step HEALTH = (candidate, now) -> keepUnless(candidate,
            candidate.condition() == Candidate.Condition.STARTING
                    || candidate.condition() == Candidate.Condition.UNHEALTHY);
    /** Drops candidates ejected for failing requests. */
    static final Step EJECTION = (candidate, now) -> keepUnless(candidate,
            candidate.condition() == Candidate.Condition.EJECTED);
    /** Drops candidates on their way out. */
    static final Step DRAINING = (candidate, now) -> keepUnless(candidate,
            candidate.condition() == Candidate.Condition.LEAVING);

    private final List<Step> steps;
    private final int panicThresholdPercent;

    CandidateFilter(List<Step> steps, int panicThresholdPercent) {
        this.steps = List.copyOf(steps);
        if (panicThresholdPercent < 0 || panicThresholdPercent > 100) {
            throw new IllegalArgumentException("panicThresholdPercent must be in 0..100, was " + panicThresholdPercent);
        }
        this.panicThresholdPercent = panicThresholdPercent;
    }

    /** Health, ejection, draining, then the panic threshold. */
    static CandidateFilter standard(int panicThresholdPercent) {
        return new CandidateFilter(List.of(HEALTH, EJECTION, DRAINING), panicThresholdPercent);
    }

    /** What the router may pick from: the candidates in their given order. */
    record Selection(List<Candidate> routed, boolean panic) {
        Selection {
            routed = List.copyOf(routed);
        }
    }

    /** Runs {@code candidates} through the steps and the panic threshold. */
    Selection select(List<Candidate> candidates, long nowNanos) {
        List<Candidate> routed = new ArrayList<>(candidates.size());
        List<Candidate> pool = new ArrayList<>(candidates.size());
        for (Candidate candidate : candidates) {
            if (candidate.condition().inPanicPool()) {
                pool.add(candidate);
            }
            through(candidate, nowNanos).ifPresent(routed::add);
        }
        boolean panic = !pool.isEmpty() && (long) routed.size() * 100 < (long) panicThresholdPercent * pool.size();
        return panic ? new Selection(pool, true) : new Selection(routed, false);
    }

    private Optional<Candidate> through(Candidate candidate, long nowNanos) {
        Optional<Candidate> current = Optional.of(candidate);
        for (Step step : steps) {
            current = Objects.requireNonNull(step.apply(current.get(), nowNanos), "a step answered null");
            if (current.isEmpty()) {
                break;
            }
        }
        return current;
    }

    private static Optional<Candidate> keepUnless(Candidate candidate, boolean drop) {
        return drop ? Optional.empty() : Optional.of(candidate);
    }

    @Override
    public String toString() {
        return "candidate-filter(" + steps.size() + " steps, panic below " + panicThresholdPercent + "%)";
    }
}
