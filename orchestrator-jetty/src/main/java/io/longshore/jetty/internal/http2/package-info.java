/**
 * HTTP/2 from clients on the standalone gateway's own listeners: the engine hands a client that
 * speaks HTTP/2 to Jetty's HTTP/2 server connection, whose streams go through the gateway's one
 * proxy policy as the embedded handler applies it. Internal.
 */
package io.longshore.jetty.internal.http2;
