/**
 * TLS termination for the standalone engine: certificates and keys from PEM files or PKCS12 key
 * stores in one in-memory key store behind Jetty's {@code SslContextFactory}, chosen by SNI,
 * reloaded when their files change, and handshakes counted. Not API.
 */
package io.longshore.jetty.internal.tls;
