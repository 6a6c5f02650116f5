package io.longshore.api;

import java.util.List;

/** Counts where a strategy sends requests. Stateless. */
final class Picks {
    static final RouteRequest GET = RouteRequest.of("GET", "/");

    private Picks() {
    }

    /** How often each candidate was picked in {@code times} picks of {@code request}. */
    static int[] count(LoadBalancingStrategy strategy, List<Backend> candidates, RouteRequest request, int times) {
        int[] picks = new int[candidates.size()];
        for (int i = 0; i < times; i++) {
            picks[strategy.choose(candidates, request)]++;
        }
        return picks;
    }

    static int[] count(LoadBalancingStrategy strategy, List<Backend> candidates, int times) {
        return count(strategy, candidates, GET, times);
    }

    /** Each count as a share of {@code total}. */
    static double[] shares(int[] counts, int total) {
        double[] shares = new double[counts.length];
        for (int i = 0; i < counts.length; i++) {
            shares[i] = counts[i] / (double) total;
        }
        return shares;
    }
}
