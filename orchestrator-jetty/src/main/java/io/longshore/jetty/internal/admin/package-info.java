/**
 * The admin API as a Jetty handler: {@code /replicas}, {@code /status}, {@code /scale},
 * {@code /rollout} (and {@code /rollout/pause|resume|undo}), {@code /events}, {@code /metrics} and
 * {@code /healthz}, with an optional bearer token, and the JSON shapes they answer with. The
 * dashboard, {@code /stream} and the replica actions are in {@code internal.dashboard}, mounted by
 * the handler. Not API.
 */
package io.longshore.jetty.internal.admin;
