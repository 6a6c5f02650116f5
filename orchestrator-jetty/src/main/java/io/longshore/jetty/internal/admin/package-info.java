/**
 * The admin API as a Jetty handler: {@code /replicas}, {@code /status}, {@code /scale},
 * {@code /events}, {@code /metrics} and {@code /healthz}, with an optional bearer token, and the
 * JSON shapes they answer with. Not API.
 */
package io.longshore.jetty.internal.admin;
