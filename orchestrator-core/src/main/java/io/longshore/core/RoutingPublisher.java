package io.longshore.core;

import io.longshore.core.internal.DefaultRouter;
import io.longshore.core.internal.ReplicaBackend;
import java.util.ArrayList;
import java.util.List;

/**
 * Filters candidates and publishes the result to a router when it changed (another backend, or
 * another weight): the one way both the orchestrator and fixed backends reach their router.
 * Single writer: its owner calls it from one thread at a time.
 */
final class RoutingPublisher {
    private final DefaultRouter router;
    private final CandidateFilter filter;
    private List<Candidate> last = List.of();

    RoutingPublisher(DefaultRouter router, CandidateFilter filter) {
        this.router = router;
        this.filter = filter;
    }

    /** Selects from {@code candidates} at {@code nowNanos} and publishes the selection if it changed. */
    CandidateFilter.Selection publish(List<Candidate> candidates, long nowNanos) {
        CandidateFilter.Selection selection = filter.select(candidates, nowNanos);
        List<Candidate> routed = selection.routed();
        if (!same(routed, last)) {
            List<ReplicaBackend> backends = new ArrayList<>(routed.size());
            for (Candidate candidate : routed) {
                candidate.backend().effectiveWeight(candidate.weight());
                backends.add(candidate.backend());
            }
            router.publish(backends);
            last = routed;
        }
        return selection;
    }

    private static boolean same(List<Candidate> a, List<Candidate> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i).backend() != b.get(i).backend() || a.get(i).weight() != b.get(i).weight()) {
                return false;
            }
        }
        return true;
    }
}
