package io.longshore.api;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;

/**
 * Envoy's least request. Equal weights: the candidate with fewer requests in flight of two random
 * ones. Unequal weights: an earliest-deadline-first schedule of the current candidate list in
 * which a candidate, each time it is picked, is due again after {@code 1 / (weight / (inFlight +
 * 1)^bias)}; a thread that finds another one using the schedule does not wait but takes the better
 * of two random candidates by that same measure. Thread-safe (as the generator given) and
 * allocation-free per pick.
 */
final class LeastRequestStrategy implements LoadBalancingStrategy {
    private final RandomGenerator random;
    private final double bias;
    private final PerCandidates<Deadlines> deadlines = new PerCandidates<>(Deadlines::of);

    LeastRequestStrategy(RandomGenerator random, double bias) {
        this.random = Objects.requireNonNull(random, "random");
        this.bias = bias;
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
        Deadlines state = deadlines.of(candidates);
        if (state.weights == null) {
            long draw = TwoChoices.draw(random, size, excluded);
            int first = TwoChoices.first(draw);
            int second = TwoChoices.second(draw);
            return candidates.get(second).inFlight() < candidates.get(first).inFlight() ? second : first;
        }
        if (excluded == TwoChoices.NO_EXCLUSION && state.busy.compareAndSet(false, true)) {
            try {
                return state.next(candidates, bias);
            } finally {
                state.busy.set(false);
            }
        }
        long draw = TwoChoices.draw(random, size, excluded);
        int first = TwoChoices.first(draw);
        int second = TwoChoices.second(draw);
        return state.load(candidates, second, bias) < state.load(candidates, first, bias) ? second : first;
    }

    @Override
    public String toString() {
        return "least-request";
    }

    /**
     * The schedule of one candidate list: {@code weights} null when they are equal, else the
     * heap of deadlines, used by one thread at a time ({@link #busy}).
     */
    private static final class Deadlines {
        final double[] weights;
        final DeadlineHeap heap;
        final AtomicBoolean busy = new AtomicBoolean();

        private Deadlines(double[] weights) {
            this.weights = weights;
            double[] first = new double[weights == null ? 0 : weights.length];
            for (int i = 0; i < first.length; i++) {
                first[i] = 1 / weights[i];
            }
            this.heap = new DeadlineHeap(first);
        }

        static Deadlines of(Deadlines previous, List<Backend> candidates) {
            double[] weights = Weights.effective(candidates);
            return new Deadlines(Weights.allEqual(weights) ? null : weights);
        }

        /** The candidate due first; it is due again after one period of its current weight. Under {@link #busy}. */
        int next(List<Backend> candidates, double bias) {
            int picked = heap.earliest();
            heap.reschedule(heap.earliestDeadline() + load(candidates, picked, bias));
            return picked;
        }

        /** {@code (inFlight + 1)^bias / weight}: the period of candidate {@code i} now, lower is better. */
        double load(List<Backend> candidates, int i, double bias) {
            double active = candidates.get(i).inFlight() + 1.0;
            double factor = bias == 1.0 ? active : bias == 0.0 ? 1.0 : Math.pow(active, bias);
            return factor / weights[i];
        }
    }
}
