package io.longshore.jetty.internal.engine;

import io.longshore.api.Endpoint;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * One worker's connection pools, one per replica endpoint, made when a request first goes to
 * it. Replica endpoints come and go (a rollout, a pod's new IP), so a {@link #sweep} now and then
 * lets go of the pools of endpoints no router knows any more: their idle connections are
 * closed, and a pool that holds no connection and no waiting attempt is dropped (one still in
 * use is dropped by a later sweep, once its last connection has closed). Asking for a pool costs
 * a map lookup; the sweep is the only other work. Confined to the worker's thread.
 */
final class UpstreamPools {
    private final Map<Endpoint, UpstreamPool> pools = new HashMap<>();
    private final Function<Endpoint, UpstreamPool> newPool;

    /** {@code newPool} makes the pool of an endpoint seen for the first time (or again after its pool was dropped). */
    UpstreamPools(Function<Endpoint, UpstreamPool> newPool) {
        this.newPool = newPool;
    }

    /** The pool of {@code endpoint}, made now if it has none. */
    UpstreamPool get(Endpoint endpoint) {
        UpstreamPool pool = pools.get(endpoint);
        if (pool == null) {
            pool = newPool.apply(endpoint);
            pools.put(endpoint, pool);
        }
        return pool;
    }

    /**
     * Closes the idle connections of the pools of endpoints not in {@code known} and drops those
     * pools that hold nothing any more.
     */
    void sweep(Set<Endpoint> known) {
        for (Iterator<UpstreamPool> it = pools.values().iterator(); it.hasNext(); ) {
            UpstreamPool pool = it.next();
            if (known.contains(pool.endpoint())) {
                continue;
            }
            if (pool.isUnused()) {
                it.remove();
            } else {
                pool.closeIdle(); // their closing frees the pool for the next sweep
            }
        }
    }

    /** Closes every pool's idle connections (the engine stops). */
    void closeIdle() {
        pools.values().forEach(UpstreamPool::closeIdle);
    }

    /** How many pools are held. */
    int size() {
        return pools.size();
    }
}
