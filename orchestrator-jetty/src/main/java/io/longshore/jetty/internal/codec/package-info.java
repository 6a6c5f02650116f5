/**
 * The HTTP/1.1 codec of the gateway's own proxy engine: parsers that record where a message
 * head's parts lie instead of copying them into objects, a scanner that follows a chunked body
 * as it streams through, a writer that builds the head a proxy sends on (applying the gateway's
 * header policy) and the gateway's own replies as bytes. Nothing here does
 * I/O; every class works on byte arrays and buffers it is given, so it is tested on its own.
 * Not API.
 */
package io.longshore.jetty.internal.codec;
