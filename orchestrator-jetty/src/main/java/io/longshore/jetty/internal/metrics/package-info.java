/**
 * The gateway's Prometheus meters: per service, the requests forwarded by replica and status
 * class, latency, retries and the answers the gateway shaped ({@code ProxyError}); read at
 * scrape time, the replicas by state, restarts and scaling decisions; and, for the dashboard,
 * each replica's {@code LoadWindow} (recent request rate and latency quantiles); the
 * {@code ReplicaSeriesSweeper} that ends the series of replicas that left, on a timer the gateway
 * already runs. Not API.
 */
package io.longshore.jetty.internal.metrics;
