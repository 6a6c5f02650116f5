package io.longshore.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.ToDoubleBiFunction;

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

    /**
     * One step of the chain: whether a candidate stays, and the share of its weight it keeps. A
     * step that only drops implements {@link #keeps}; one that only weighs (slow start)
     * implements {@link #weight}. Neither allocates for a candidate it leaves alone.
     */
    interface Step {
        /** Whether {@code candidate} stays at {@code nowNanos}; true unless the step drops it. */
        default boolean keeps(Candidate candidate, long nowNanos) {
            return true;
        }

        /**
         * The share of its full weight {@code candidate} leaves this step with, in (0, its weight]:
         * a step may lower a weight, never raise it. Its weight unless the step lowers it.
         */
        default double weight(Candidate candidate, long nowNanos) {
            return candidate.weight();
        }

        /** A step that drops the candidates {@code drop} matches. */
        static Step dropping(Predicate<Candidate> drop) {
            return new Step() {
                @Override
                public boolean keeps(Candidate candidate, long nowNanos) {
                    return !drop.test(candidate);
                }
            };
        }

        /** A step that gives each candidate the weight {@code weight} computes (its weight, or lower). */
        static Step weighing(ToDoubleBiFunction<Candidate, Long> weight) {
            return new Step() {
                @Override
                public double weight(Candidate candidate, long nowNanos) {
                    return weight.applyAsDouble(candidate, nowNanos);
                }
            };
        }
    }

    /** Drops candidates that do not pass their probes (not yet ready, or unhealthy). */
    static final Step HEALTH = Step.dropping(candidate -> candidate.condition() == Candidate.Condition.STARTING
            || candidate.condition() == Candidate.Condition.UNHEALTHY);
    /** Drops candidates ejected for failing requests. */
    static final Step EJECTION = Step.dropping(candidate -> candidate.condition() == Candidate.Condition.EJECTED);
    /** Drops candidates on their way out. */
    static final Step DRAINING = Step.dropping(candidate -> candidate.condition() == Candidate.Condition.LEAVING);

    /** Lowers the weight of a candidate ready for less than the window to its share of the ramp. */
    static Step slowStart(SlowStart slowStart) {
        return Step.weighing((candidate, nowNanos) ->
                Math.min(candidate.weight(), slowStart.share(nowNanos - candidate.readySinceNanos())));
    }

    private final List<Step> steps;
    private final int panicThresholdPercent;
    private final Optional<Duration> rampStep;

    CandidateFilter(List<Step> steps, int panicThresholdPercent) {
        this(steps, panicThresholdPercent, Optional.empty());
    }

    /** @param rampStep how often to select again while a step has lowered a weight; empty when none ramps */
    private CandidateFilter(List<Step> steps, int panicThresholdPercent, Optional<Duration> rampStep) {
        this.steps = List.copyOf(steps);
        if (panicThresholdPercent < 0 || panicThresholdPercent > 100) {
            throw new IllegalArgumentException("panicThresholdPercent must be in 0..100, was " + panicThresholdPercent);
        }
        this.panicThresholdPercent = panicThresholdPercent;
        this.rampStep = rampStep;
    }

    /** Health, ejection, draining, then the panic threshold. */
    static CandidateFilter standard(int panicThresholdPercent) {
        return standard(panicThresholdPercent, SlowStart.disabled());
    }

    /** Health, ejection, draining, slow start (when enabled), then the panic threshold. */
    static CandidateFilter standard(int panicThresholdPercent, SlowStart slowStart) {
        if (!slowStart.enabled()) {
            return new CandidateFilter(List.of(HEALTH, EJECTION, DRAINING), panicThresholdPercent);
        }
        return new CandidateFilter(List.of(HEALTH, EJECTION, DRAINING, slowStart(slowStart)), panicThresholdPercent,
                Optional.of(slowStart.step()));
    }

    /**
     * When to select again because a ramping weight will have grown: the slow-start step when
     * {@code selection} has a candidate below its full weight, else empty.
     */
    Optional<Duration> reselectAfter(Selection selection) {
        if (rampStep.isPresent()) {
            for (Candidate candidate : selection.routed()) {
                if (candidate.weight() < 1) {
                    return rampStep;
                }
            }
        }
        return Optional.empty();
    }

    /** What the router may pick from: the candidates in their given order (a list nobody changes). */
    record Selection(List<Candidate> routed, boolean panic) {
        Selection {
            routed = Collections.unmodifiableList(routed);
        }
    }

    /** Runs {@code candidates} through the steps and the panic threshold. */
    Selection select(List<Candidate> candidates, long nowNanos) {
        List<Candidate> routed = new ArrayList<>(candidates.size());
        int pool = 0;
        for (Candidate candidate : candidates) {
            if (candidate.condition().inPanicPool()) {
                pool++;
            }
            Candidate through = through(candidate, nowNanos);
            if (through != null) {
                routed.add(through);
            }
        }
        if (pool > 0 && (long) routed.size() * 100 < (long) panicThresholdPercent * pool) {
            List<Candidate> all = new ArrayList<>(pool);
            for (Candidate candidate : candidates) {
                if (candidate.condition().inPanicPool()) {
                    all.add(candidate);
                }
            }
            return new Selection(all, true);
        }
        return new Selection(routed, false);
    }

    /** The candidate as it leaves the last step, or null when a step dropped it. */
    private Candidate through(Candidate candidate, long nowNanos) {
        Candidate current = candidate;
        for (Step step : steps) {
            if (!step.keeps(current, nowNanos)) {
                return null;
            }
            double weight = step.weight(current, nowNanos);
            if (weight != current.weight()) {
                current = current.withWeight(weight);
            }
        }
        return current;
    }

    @Override
    public String toString() {
        return "candidate-filter(" + steps.size() + " steps, panic below " + panicThresholdPercent + "%)";
    }
}
