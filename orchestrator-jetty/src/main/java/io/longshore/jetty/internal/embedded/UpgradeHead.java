package io.longshore.jetty.internal.embedded;

import io.longshore.jetty.internal.codec.ResponseHead;
import io.longshore.jetty.internal.policy.HeaderPolicy;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.Request;

/**
 * The heads of an upgrade request as the embedded gateway reads and writes them itself (Jetty's
 * client does not let a connection switch protocols): whether a request asks to switch
 * ({@link #isUpgrade}), the request for the replica, with the gateway's
 * {@link HeaderPolicy} and the {@code Upgrade} kept, and the replica's answer copied into the
 * host server's response. Stateless.
 */
final class UpgradeHead {
    private UpgradeHead() {
    }

    /** Whether {@code request} asks to switch protocols: HTTP/1.1, {@code Connection: upgrade} and an {@code Upgrade} field. */
    static boolean isUpgrade(Request request) {
        HttpFields headers = request.getHeaders();
        if (request.getConnectionMetaData().getHttpVersion() != HttpVersion.HTTP_1_1
                || !headers.contains(HttpHeader.UPGRADE)) {
            return false;
        }
        if (request.getLength() > 0 || headers.contains(HttpHeader.TRANSFER_ENCODING)) {
            return false; // a body goes as a plain request's, by Jetty's client; the Upgrade stays behind (RFC 9110 7.8)
        }
        for (String value : headers.getValuesList(HttpHeader.CONNECTION)) {
            for (String token : value.split(",")) {
                if (token.trim().equalsIgnoreCase("upgrade")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** {@code request} as bytes for a replica at {@code authority}, switching protocols as it asks. */
    static ByteBuffer of(Request request, String authority) {
        HttpFields.Mutable fields = HttpFields.build();
        ForwardedHeaders.copyRequest(request, fields);
        HttpURI uri = request.getHttpURI();
        StringBuilder head = new StringBuilder(256).append(request.getMethod()).append(' ')
                .append(uri.getPathQuery() == null ? "/" : uri.getPathQuery()).append(" HTTP/1.1\r\n");
        for (HttpField field : fields) {
            head.append(field.getName()).append(": ").append(field.getValue()).append("\r\n");
        }
        head.append("Host: ").append(authority).append("\r\n");
        head.append("Upgrade: ").append(request.getHeaders().get(HttpHeader.UPGRADE)).append("\r\n");
        String settings = request.getHeaders().get(HttpHeader.HTTP2_SETTINGS);
        if (settings != null && namesHttp2Settings(request.getHeaders())) {
            // h2c (RFC 7540 3.2): the replica needs the settings the client named in its Connection
            head.append("HTTP2-Settings: ").append(settings).append("\r\nConnection: Upgrade, HTTP2-Settings\r\n\r\n");
        } else {
            head.append("Connection: Upgrade\r\n\r\n");
        }
        return ByteBuffer.wrap(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    private static boolean namesHttp2Settings(HttpFields headers) {
        for (String value : headers.getValuesList(HttpHeader.CONNECTION)) {
            for (String token : value.split(",")) {
                if (token.trim().equalsIgnoreCase(HttpHeader.HTTP2_SETTINGS.asString())) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Copies the fields of a replica's answer that cross the gateway into {@code to}; with
     * {@code switching}, the {@code Upgrade} field too. The framing fields stay behind (the host
     * server frames the body it writes).
     */
    static void copyResponse(ResponseHead answer, HttpFields.Mutable to, boolean switching) {
        for (int i = 0; i < answer.fieldCount(); i++) {
            String name = answer.text(answer.nameStart(i), answer.nameEnd(i));
            String value = answer.text(answer.valueStart(i), answer.valueEnd(i));
            boolean upgrade = switching && i == answer.upgradeField();
            if (upgrade || HeaderPolicy.forwardsResponseField(name) && !answer.isNamedByConnection(i)
                    && !name.equalsIgnoreCase("content-length")) {
                to.add(name, value);
            }
        }
    }
}
