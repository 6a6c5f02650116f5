package io.longshore.core.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The backends a router's publications removed while requests were still in flight on them,
 * kept until they have none, so that the router's in-flight total counts every request it
 * leased. A publication marks the backends it removed unleasable only after the new snapshot is
 * visible: a lease that counted itself on one re-checks the mark and gives it back. Written by the
 * router's single publishing thread, read from any; thread-safe for that use.
 */
final class RetiredBackends {
    private volatile ReplicaBackend[] backends = new ReplicaBackend[0];

    /**
     * After {@code published} replaced {@code old} as the router's snapshot: marks every backend
     * of {@code old} that {@code published} lacks unleasable and keeps it, with those kept before
     * that still have requests in flight and were not published again. Single writer.
     */
    void retire(RouterSnapshot old, RouterSnapshot published) {
        List<ReplicaBackend> stillBusy = new ArrayList<>();
        for (ReplicaBackend earlier : backends) {
            if (earlier.inFlight() > 0 && !published.contains(earlier)) {
                stillBusy.add(earlier);
            }
        }
        for (int i = 0; i < old.size(); i++) {
            ReplicaBackend gone = old.get(i);
            if (!published.contains(gone)) {
                gone.setLeasable(false);
                stillBusy.add(gone);
            }
        }
        backends = stillBusy.toArray(new ReplicaBackend[0]);
    }

    /** Requests in flight on the retired backends now. */
    int inFlight() {
        int total = 0;
        for (ReplicaBackend gone : backends) {
            total += gone.inFlight();
        }
        return total;
    }
}
