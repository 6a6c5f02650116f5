package io.longshore.jetty.internal.engine;

import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;

/**
 * Where the engine hands a client that speaks HTTP/2: one that opens a plain connection with the
 * HTTP/2 preface (prior knowledge), or negotiates {@code h2} by ALPN on the TLS listener. The
 * engine's event loop keeps driving the socket; the connection made here reads and writes it.
 * Implementations are thread-safe.
 */
public interface Http2Connections {
    /**
     * A connection that serves HTTP/2 on {@code endPoint}. It implements
     * {@link Connection.UpgradeTo}, so the bytes the engine already read (the preface, and
     * whatever came with it) reach it through {@link org.eclipse.jetty.io.EndPoint#upgrade}.
     */
    Connection newConnection(EndPoint endPoint);
}
