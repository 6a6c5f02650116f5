/**
 * The gateway's own proxy engine, on Jetty's I/O layer ({@code jetty-io}: selector, end
 * points, connections) and the codec of {@code internal.codec}, following the proxy policy of
 * {@code internal.policy} and the routes of {@code internal.routing}. Each worker is one thread
 * running one selector that owns both the client connections it accepted and the replica
 * connections it opened for them, so a request and its response are handled on one thread
 * with no hand-off, no lock and no interest-set changes in the steady state, the way HAProxy
 * and nginx work. Bodies stream through worker-local direct buffers without copies into the
 * heap. Every class here is confined to its worker thread unless it says otherwise. Not API.
 */
package io.longshore.jetty.internal.engine;
