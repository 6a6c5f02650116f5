package io.longshore.kubernetes.internal;

import io.longshore.api.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the API server answers, as the pod tracker sees it: each failure yields the delay
 * before the next attempt (doubling from the backoff's initial delay), the first failure of an
 * outage is an {@link io.longshore.kubernetes.KubernetesRuntimeEvent.ApiServerUnreachable} event, and the first success
 * after it an {@link io.longshore.kubernetes.KubernetesRuntimeEvent.ApiServerReachable}. Not thread-safe: the tracker
 * calls it under its lock.
 */
final class Outage {
    private static final Logger LOG = LoggerFactory.getLogger(Outage.class);

    private final String server;
    private final Backoff backoff;
    private final Clock clock;
    private final RuntimeEvents events;
    private Duration nextDelay;
    private Instant since;

    Outage(String server, Backoff backoff, Clock clock, RuntimeEvents events) {
        this.server = server;
        this.backoff = backoff;
        this.clock = clock;
        this.events = events;
        this.nextDelay = backoff.initial();
    }

    /** Records a failed attempt ({@code why} says what failed); returns when to try again. */
    Duration failed(String why, int podsKept) {
        Duration delay = nextDelay;
        nextDelay = backoff.next(nextDelay);
        if (since == null) {
            since = clock.instant();
            LOG.warn("{}; keeping the {} pods known, retrying in {}", why, podsKept, delay);
            events.apiServerUnreachable(server, why, delay);
        } else {
            LOG.debug("{}; retrying in {}", why, delay);
        }
        return delay;
    }

    /** Records a successful list: the backoff starts over, and an outage ends. */
    void answered() {
        nextDelay = backoff.initial();
        if (since != null) {
            Duration down = Duration.between(since, clock.instant());
            since = null;
            LOG.info("API server {} answers again after {}", server, down);
            events.apiServerReachable(server, down);
        }
    }
}
