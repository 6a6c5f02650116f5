/**
 * The routed services: each route's path prefix, service name, router and admin view, and the
 * {@code RouteTable} that picks a request's route (longest whole-segment prefix) for both
 * transports. Not API.
 */
package io.longshore.jetty.internal.routing;
