/**
 * Implementation of the gateway: the embedded mode's forwarding handler and its per-request
 * exchange, header rewriting, failure classification, the retry budget, metrics and the admin
 * API; the standalone engine is in {@code internal.engine} and its codec in
 * {@code internal.http}. Not API.
 */
package io.longshore.jetty.internal;
