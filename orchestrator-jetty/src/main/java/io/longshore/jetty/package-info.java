/**
 * The Longshore gateway: a reverse proxy in front of an orchestrator's replicas (or a fixed set
 * of backends), with retries on another replica, load shedding, an admin API on its own
 * connector and Prometheus metrics. Standalone, it runs its own event-loop engine on Jetty 12's
 * I/O layer; embedded, it is a Jetty {@code Handler}. Build one with
 * {@link io.longshore.jetty.Gateway#builder()}; mount {@link io.longshore.jetty.Gateway#handler()}
 * to embed it in a host's own Jetty server.
 */
package io.longshore.jetty;
