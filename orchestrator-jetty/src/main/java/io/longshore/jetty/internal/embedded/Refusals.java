package io.longshore.jetty.internal.embedded;

import io.longshore.jetty.internal.codec.DotSegments;
import io.longshore.jetty.internal.codec.Method;
import io.longshore.jetty.internal.policy.GatewayReply;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * What the standalone proxy's parser refuses and a host server lets through, refused the same
 * way: {@code CONNECT} and transfer codings other than a final chunked (501), and {@code .} or
 * {@code ..} path segments, plain or percent-encoded (400: {@code /api/../admin} would match the
 * {@code /api} route but reach {@code /admin}). Stateless.
 */
final class Refusals {
    private static final String CHUNKED = "chunked";

    private Refusals() {
    }

    /** The answer that refuses {@code request}, or {@code null} to forward it. */
    static GatewayReply of(Request request) {
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
