package io.longshore.simulator;

import java.time.Duration;
import java.util.Objects;

/**
 * The state of a simulation at one moment, as its timeline records it. Immutable.
 *
 * @param at       time since the start
 * @param desired  the orchestrator's desired replica count (the replica count with a fixed set)
 * @param routable replicas the router may pick now
 * @param running  replicas the runtime runs (starting ones included)
 * @param open     requests sent and not yet ended (waiting ones included)
 * @param waiting  requests waiting in the line for a replica
 * @param offered  the load the traffic offers now, in requests in flight (NaN when it cannot tell)
 */
public record Sample(Duration at, int desired, int routable, int running, int open, int waiting, double offered) {
    public Sample {
        Objects.requireNonNull(at, "at");
    }
}
