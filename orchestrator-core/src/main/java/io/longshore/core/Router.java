package io.longshore.core;

import io.longshore.api.Backend;
import io.longshore.api.Clock;
import io.longshore.api.LoadMetrics;
import io.longshore.api.RouteRequest;
import java.util.List;
import java.util.Optional;

/**
 * The data path of an orchestrator: hands out a lease on one routable replica per request
 * and takes back the outcome. Reads one volatile immutable snapshot per call and takes no
 * lock. Thread-safe; called from every request thread of a gateway.
 */
public interface Router {

    /** A lease on a backend chosen by the strategy, or empty when no replica is routable. */
    Optional<Lease> lease(RouteRequest request);

    /**
     * Like {@link #lease(RouteRequest)} but never on {@code excluded} (a retry goes to
     * another replica). Empty when no other replica is routable.
     */
    Optional<Lease> leaseExcluding(RouteRequest request, Backend excluded);

    /** The backends routable right now (the current snapshot). */
    List<Backend> routable();

    /** Load figures of everything routed through this router, for scaling policies. */
    LoadMetrics metrics();

    /** The strategy's name, e.g. {@code round-robin}. */
    String strategyName();

    /** The clock this router measures latency and request windows with. */
    default Clock clock() {
        return Clock.system();
    }

    /**
     * A reusable lease for a caller that routes one request after another (see
     * {@link LeaseHandle}). The default wraps {@link #lease}; the routers of this library
     * return one that allocates nothing.
     */
    default LeaseHandle newHandle() {
        return new io.longshore.core.internal.LeaseAdapter(this);
    }
}
