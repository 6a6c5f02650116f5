package io.longshore.core;

import io.longshore.api.Backend;
import io.longshore.api.Clock;
import io.longshore.api.LoadMetrics;
import java.util.List;
import java.util.Optional;

/**
 * The data path of a service: hands out {@link Lease leases} on its routable backends and
 * takes back each request's outcome. The routers of this library read one volatile immutable
 * snapshot per request, take no lock and allocate nothing. Thread-safe: every request thread
 * of a gateway calls it, each through leases of its own.
 */
public interface Router {

    /**
     * A new reusable lease, for one caller that routes one request after another. Callers keep
     * it: a lease is made once per connection or thread, not per request.
     */
    Lease newLease();

    /** The backends routable right now, as the strategy sees them (an immutable snapshot). */
    List<Backend> routable();

    /**
     * Every backend this router knows, routable or not (an ejected one included), for the admin
     * API; by default the routable ones, for a router that knows no others.
     */
    default List<Backend> backends() {
        return routable();
    }

    /** Load figures of everything routed through this router, for scaling policies and dashboards. */
    LoadMetrics metrics();

    /** The clock a {@link Lease}'s times are readings of; the system clock unless the router says otherwise. */
    default Clock clock() {
        return Clock.system();
    }

    /** The name of the strategy that picks among the backends, e.g. {@code round-robin}, for the admin API. */
    default String strategyName() {
        return toString();
    }

    /**
     * The cookie a gateway sets so that a client's next requests return to the backend that
     * answered (the strategy's {@link io.longshore.api.LoadBalancingStrategy#stickyCookie()});
     * empty unless the strategy routes by one.
     */
    default Optional<String> stickyCookie() {
        return Optional.empty();
    }
}
