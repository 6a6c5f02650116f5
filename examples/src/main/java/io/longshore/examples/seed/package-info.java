/**
 * The seed scenario as a runnable main: {@link io.longshore.examples.seed.SeedMain} runs the
 * acts service as replicas (local processes or Docker containers) behind the Longshore
 * gateway, with the seed document's health checks (every second, replace on the same port)
 * and autoscaling (one replica per 20 requests every two minutes). {@code SeedOptions} is its
 * command line, {@code SeedApp} the wiring.
 */
package io.longshore.examples.seed;
