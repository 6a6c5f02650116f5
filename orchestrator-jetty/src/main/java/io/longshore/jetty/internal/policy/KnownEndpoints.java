package io.longshore.jetty.internal.policy;

import io.longshore.api.Backend;
import io.longshore.api.Endpoint;
import io.longshore.api.internal.UserCode;
import io.longshore.core.Router;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replica endpoints the routes' routers know now, which both transports keep per-endpoint
 * state for (the engine's connection pools, the embedded client's destinations and cached
 * fields) and let go of once an endpoint is not among them any more (a rollout, a pod's new IP).
 * Ejected replicas count as known ({@link Router#backends()}), so an ejection does not cost a
 * replica its warm connections. A user's router that fails to say is logged, and nothing is let
 * go of that time. Stateless.
 */
public final class KnownEndpoints {
    private static final Logger LOG = LoggerFactory.getLogger(KnownEndpoints.class);

    private KnownEndpoints() {
    }

    /**
     * The endpoints of every backend {@code routers} know now (ejected ones included), or null
     * when one of them failed to say (logged).
     */
    public static Set<Endpoint> of(Router[] routers) {
        Set<Endpoint> known = new HashSet<>();
        for (Router router : routers) {
            try {
                for (Backend backend : router.backends()) {
                    known.add(backend.endpoint());
                }
            } catch (RuntimeException | Error e) { // a user's router
                UserCode.rethrowIfFatal(e);
                LOG.warn("the router {} failed to list its backends", router, e);
                return null;
            }
        }
        return known;
    }
}
