/**
 * The embedded transport: the gateway as a Jetty {@code Handler} in a host's own server, which
 * parses the requests and keeps the client connections, forwarding through Jetty's
 * {@code HttpClient}. Every decision (route, admission, retries, headers, replies) is the one
 * proxy policy of {@code internal.policy} and {@code internal.routing} the standalone engine
 * uses too; this package only maps it onto Jetty's server and client. Not API.
 */
package io.longshore.jetty.internal.embedded;
