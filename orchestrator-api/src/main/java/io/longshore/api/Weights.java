package io.longshore.api;

import java.util.List;

/**
 * The weights weighted strategies read from a candidate list, once per list. A weight that is
 * not a positive finite number (a user's {@link Backend} may answer anything) counts as 1.
 * Stateless.
 */
final class Weights {
    private Weights() {
    }

    /** Each candidate's {@link Backend#effectiveWeight()}. */
    static double[] effective(List<Backend> candidates) {
        double[] weights = new double[candidates.size()];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = usable(candidates.get(i).effectiveWeight());
        }
        return weights;
    }

    /** Each candidate's configured {@link Backend#weight()}. */
    static double[] configured(List<Backend> candidates) {
        double[] weights = new double[candidates.size()];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = usable(candidates.get(i).weight());
        }
        return weights;
    }

    static boolean allEqual(double[] weights) {
        for (int i = 1; i < weights.length; i++) {
            if (weights[i] != weights[0]) {
                return false;
            }
        }
        return true;
    }

    static double sum(double[] weights) {
        double sum = 0;
        for (double weight : weights) {
            sum += weight;
        }
        return sum;
    }

    private static double usable(double weight) {
        return weight > 0 && weight < Double.POSITIVE_INFINITY ? weight : 1.0;
    }
}
