package io.longshore.jetty.internal.embedded;

import io.longshore.jetty.internal.codec.HostSyntax;
import java.util.Locale;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.HostPort;

/**
 * The host a request the host server (Jetty) took names, the one value the router's
 * {@code Host}, {@code X-Forwarded-Host} and the admin API's host checks all go by: an
 * absolute-form target's authority over the {@code Host} field (RFC 9112 3.2.2), an HTTP/2 or 3
 * stream's {@code :authority} (RFC 9113 8.3.1), else the {@code Host} field. Stateless.
 *
 * <p>Jetty's request keeps no trace of the target's form: it fills in the authority of every
 * target, from the {@code Host} field or, without one, from the server's own address. So with a
 * {@code Host} field the field is taken (Jetty has refused with 400 an absolute-form target that
 * names another host, and lets through only another case or an explicit default port), and
 * without one the authority is taken unless it is the server's own that Jetty filled in.
 */
public final class RequestHosts {
    private RequestHosts() {
    }

    /** The host {@code request} names, or {@code null} when it names none (HTTP/1.0 without {@code Host}). */
    public static String of(Request request) {
        HttpURI uri = request.getHttpURI();
        String authority = uri.getAuthority();
        String hostField = request.getHeaders().get(HttpHeader.HOST);
        if (request.getConnectionMetaData().getHttpVersion().getVersion() >= HttpVersion.HTTP_2.getVersion()) {
            // :authority, read for this stream alone: a host field can be one a refused stream left behind
            return authority != null ? authority : hostField;
        }
        if (hostField != null || authority == null) {
            return hostField;
        }
        return isServersOwn(uri, request.getConnectionMetaData().getServerAuthority()) ? null : authority;
    }

    private static boolean isServersOwn(HttpURI uri, HostPort server) {
        return server != null && uri.getPort() == server.getPort()
                && bare(uri.getHost()).equals(bare(server.getHost()));
    }

    private static String bare(String host) {
        return host == null ? "" : HostSyntax.withoutBrackets(host.toLowerCase(Locale.ROOT));
    }
}
