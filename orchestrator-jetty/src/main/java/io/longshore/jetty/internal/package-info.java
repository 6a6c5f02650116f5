/**
 * Implementation of the gateway: the forwarding handler and its per-request exchange, header
 * rewriting, failure classification, the retry budget, metrics and the admin API. Not API.
 */
package io.longshore.jetty.internal;
