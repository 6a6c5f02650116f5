package io.longshore.core;

import io.longshore.core.internal.DefaultRouter;
import io.longshore.core.internal.ReplicaBackend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Filters candidates and publishes the result to a router when it changed (another backend,
 * another weight, or another share of it): the one way both the orchestrator and fixed backends
 * reach their router. Single writer: its owner calls it from one thread at a time.
 */
final class RoutingPublisher {
    private final DefaultRouter router;
    private final CandidateFilter filter;
    private List<Candidate> last = List.of();
    private int[] lastWeights = new int[0];

    RoutingPublisher(DefaultRouter router, CandidateFilter filter) {
        this.router = router;
        this.filter = filter;
    }

    /** Selects from {@code candidates} at {@code nowNanos} and publishes the selection if it changed. */
    CandidateFilter.Selection publish(List<Candidate> candidates, long nowNanos) {
        CandidateFilter.Selection selection = filter.select(candidates, nowNanos);
        List<Candidate> routed = selection.routed();
        if (!same(routed)) {
            List<ReplicaBackend> backends = new ArrayList<>(routed.size());
            int[] weights = new int[routed.size()];
            for (int i = 0; i < routed.size(); i++) {
                ReplicaBackend backend = routed.get(i).backend();
                backend.weightShare(routed.get(i).weight());
                backends.add(backend);
                weights[i] = backend.weight();
            }
            router.publish(backends);
            last = routed;
            lastWeights = weights;
        }
        return selection;
    }

    /** When to publish again because a ramping weight will have grown; empty when none ramps. */
    Optional<Duration> reselectAfter(CandidateFilter.Selection selection) {
        return filter.reselectAfter(selection);
    }

    private boolean same(List<Candidate> routed) {
        if (routed.size() != last.size()) {
            return false;
        }
        for (int i = 0; i < routed.size(); i++) {
            Candidate now = routed.get(i);
            Candidate before = last.get(i);
            if (now.backend() != before.backend() || now.weight() != before.weight()
                    || now.backend().weight() != lastWeights[i]) {
                return false;
            }
        }
        return true;
    }
}
