package io.longshore.jetty.internal.embedded;

import io.longshore.jetty.internal.codec.DotSegments;
import io.longshore.jetty.internal.codec.HostSyntax;
import io.longshore.jetty.internal.codec.Method;
import io.longshore.jetty.internal.policy.GatewayReply;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Request;

/**
 * What the standalone proxy's parser refuses and a host server lets through, refused the same
 * way: a method that is not a token and a {@code Host} that is not {@code host[:port]} (400;
 * an HTTP/2 stream's {@code :method} would otherwise go into the replica's request line as it
 * came), {@code CONNECT} and transfer codings other than a final chunked (501), {@code .} or
 * {@code ..} path segments, plain or percent-encoded (400: {@code /api/../admin} would match the
 * {@code /api} route but reach {@code /admin}), and, where a head limit is given, a head over it
 * counted as the HTTP/1.1 head the replica would get (414 when the request line alone is over,
 * 431 otherwise). Stateless.
 */
public final class Refusals {
    private static final String CHUNKED = "chunked";
    /** {@code " HTTP/1.1\r\n"} after the target. */
    private static final int REQUEST_LINE_TAIL = 11;
    /** {@code ": "} and {@code "\r\n"} around a field's value. */
    private static final int FIELD_OVERHEAD = 4;
    private static final int HOST_NAME_LENGTH = 4;
    private static final int CRLF = 2;

    private Refusals() {
    }

    /**
     * The answer that refuses {@code request}, or {@code null} to forward it.
     *
     * @param maxHeadBytes the longest request head accepted, as the standalone parser counts it;
     *                     0 to leave heads to the host server's own limit
     */
    static GatewayReply of(Request request, int maxHeadBytes) {
        if (maxHeadBytes > 0) {
            GatewayReply tooLarge = headTooLarge(request, maxHeadBytes);
            if (tooLarge != null) {
                return tooLarge;
            }
        }
        if (!Method.isValidName(request.getMethod()) || !hostsAreValid(request)) {
            return GatewayReply.BAD_REQUEST; // an HTTP/2 stream's :method and host are not checked by its parser
        }
        if (Method.of(request.getMethod()) == Method.CONNECT || hasOtherCoding(request)) {
            return GatewayReply.UNSUPPORTED;
        }
        String path = request.getHttpURI().getPath();
        if (path != null) {
            byte[] raw = path.getBytes(StandardCharsets.UTF_8);
            if (DotSegments.in(raw, 0, raw.length)) {
                return GatewayReply.BAD_REQUEST;
            }
        }
        return null;
    }

    /**
     * 414 or 431 when the request's head, written as HTTP/1.1 ({@code METHOD target HTTP/1.1},
     * a {@code name: value} line per field, {@code Host} from the authority when the request has
     * none, the empty line), is longer than {@code max}; {@code null} when it fits.
     */
    private static GatewayReply headTooLarge(Request request, int max) {
        HttpURI uri = request.getHttpURI();
        String target = uri.getPathQuery();
        long size = request.getMethod().length() + 1L + (target == null ? 1 : target.length()) + REQUEST_LINE_TAIL;
        if (size > max) {
            return GatewayReply.URI_TOO_LONG;
        }
        boolean host = false;
        for (HttpField field : request.getHeaders()) {
            host |= field.getHeader() == HttpHeader.HOST;
            size += field.getName().length() + FIELD_OVERHEAD + field.getValue().length();
        }
        if (!host && uri.getAuthority() != null) {
            size += HOST_NAME_LENGTH + FIELD_OVERHEAD + uri.getAuthority().length();
        }
        return size + CRLF > max ? GatewayReply.HEADERS_TOO_LARGE : null;
    }

    /**
     * Whether every {@code Host} field, and the target's authority, is {@code host[:port]}, as the
     * standalone parser requires.
     */
    private static boolean hostsAreValid(Request request) {
        String authority = request.getHttpURI().getAuthority();
        return (authority == null || HostSyntax.isValid(authority)) && hostFieldsAreValid(request);
    }

    /** Whether every {@code Host} field of {@code request} is {@code host[:port]}. */
    public static boolean hostFieldsAreValid(Request request) {
        for (HttpField field : request.getHeaders()) {
            if (HttpHeader.HOST.is(field.getName()) && !HostSyntax.isValid(field.getValue())) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasOtherCoding(Request request) {
        for (HttpField field : request.getHeaders()) {
            if (field.getHeader() != HttpHeader.TRANSFER_ENCODING) {
                continue;
            }
            for (String coding : field.getValue().split(",")) {
                String name = coding.trim().toLowerCase(Locale.ROOT);
                if (!name.isEmpty() && !name.equals(CHUNKED)) {
                    return true;
                }
            }
        }
        return false;
    }
}
