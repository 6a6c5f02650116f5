/**
 * The gateway's access log: one entry per request, handed by the proxy's threads to a writer
 * thread through a bounded queue (never waiting) and written in the combined format or as JSON
 * to a file, standard output or an SLF4J logger. Not API.
 */
package io.longshore.jetty.internal.accesslog;
