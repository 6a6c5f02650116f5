package io.longshore.jetty;

import io.longshore.jetty.internal.embedded.StreamResets;
import org.eclipse.jetty.http2.api.Stream;
import org.eclipse.jetty.http2.api.server.ServerSessionListener;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;

/**
 * Jetty's HTTP/2 server connection factories for the host server of an embedded gateway
 * ({@link GatewayBuilder#embedded()}), with what Jetty's own lack: every stream that closes is
 * reported to the gateway's handler. Jetty resets a stream on its own when the client breaks its
 * framing (DATA past its {@code content-length}, DATA after {@code END_STREAM}) and tells the
 * request nothing; through these factories the exchange hears of it and gives up the replica's
 * request at once, where behind Jetty's plain factories it holds the replica's connection until
 * the response timeout. Use them where you would use {@link HTTP2CServerConnectionFactory} and
 * {@link HTTP2ServerConnectionFactory}; everything else about them is Jetty's. The standalone
 * gateway's HTTP/2 uses the same.
 */
public final class GatewayHttp2 {
    private GatewayHttp2() {
    }

    /** h2c (prior knowledge or the HTTP/1.1 upgrade), like {@code new HTTP2CServerConnectionFactory(config)}. */
    public static HTTP2CServerConnectionFactory cleartext(HttpConfiguration config) {
        return new HTTP2CServerConnectionFactory(config) {
            @Override
            protected ServerSessionListener newSessionListener(Connector connector, EndPoint endPoint) {
                return new HTTPServerSessionListener(endPoint) {
                    @Override
                    public void onClosed(Stream stream) {
                        super.onClosed(stream);
                        StreamResets.closed(stream);
                    }
                };
            }
        };
    }

    /** h2 over TLS (after ALPN), like {@code new HTTP2ServerConnectionFactory(config)}. */
    public static HTTP2ServerConnectionFactory secure(HttpConfiguration config) {
        return new HTTP2ServerConnectionFactory(config) {
            @Override
            protected ServerSessionListener newSessionListener(Connector connector, EndPoint endPoint) {
                return new HTTPServerSessionListener(endPoint) {
                    @Override
                    public void onClosed(Stream stream) {
                        super.onClosed(stream);
                        StreamResets.closed(stream);
                    }
                };
            }
        };
    }
}
