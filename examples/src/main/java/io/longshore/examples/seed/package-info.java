/**
 * The seed scenario as a runnable main: {@link io.longshore.examples.seed.SeedMain} runs the
 * acts service as replicas (local processes or Docker containers of the acts image built here)
 * behind the Longshore gateway, with the seed document's health checks (every second, replace
 * on the same port) and autoscaling (one replica per 20 requests every two minutes). The
 * replicas share one database that outlives them: an H2 server the main runs from its data
 * directory, or an existing database ({@code SeedDatabase}). {@code SeedOptions} is its command
 * line, {@code SeedApp} the wiring.
 */
package io.longshore.examples.seed;
