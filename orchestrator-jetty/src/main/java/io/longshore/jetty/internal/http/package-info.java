/**
 * The HTTP/1.1 codec of the gateway's own proxy engine: parsers that record where a message
 * head's parts lie instead of copying them into objects, a scanner that follows a chunked body
 * as it streams through, and a writer that builds the head a proxy sends on. Nothing here does
 * I/O; every class works on byte arrays and buffers it is given, so it is tested on its own.
 * Not API.
 */
package io.longshore.jetty.internal.http;
