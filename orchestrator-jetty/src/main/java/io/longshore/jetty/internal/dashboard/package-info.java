/**
 * The admin API's operator side: the dashboard page and its assets (served from the jar), the
 * live feed behind {@code GET /stream} (server-sent events with every service's replicas, load,
 * desired/ready history, scaling decisions and latest events), and the replica actions
 * {@code POST /replicas/{id}/drain} and {@code /replace}. Not API.
 */
package io.longshore.jetty.internal.dashboard;
