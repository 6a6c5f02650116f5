package io.longshore.simulator;

import java.time.Duration;

/**
 * What one modelled replica did in a run. Immutable.
 *
 * @param id       its container id in the simulated runtime
 * @param model    its model's name
 * @param port     its port
 * @param started  when it was started, since the simulation's start
 * @param requests requests it took
 * @param failures requests it answered with a 5xx
 */
public record ReplicaStats(String id, String model, int port, Duration started, long requests, long failures) {
}
