package io.longshore.jetty.internal;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.Request;

/**
 * Copies headers across the proxy: drops {@code Host} (requests only), the hop-by-hop headers
 * ({@code Connection} and the headers it names, {@code Keep-Alive}, {@code Proxy-*}, {@code TE},
 * {@code Trailer}, {@code Transfer-Encoding}, {@code Upgrade}) and adds {@code X-Forwarded-For},
 * {@code X-Forwarded-Proto}, {@code X-Forwarded-Host} and {@code Via}. Fields are shared, not
 * copied. Stateless.
 */
public final class ForwardedHeaders {
    /** The pseudonym this gateway adds to {@code Via}. */
    public static final String VIA_NAME = "longshore";
    private static final String FORWARDED_FOR_ATTRIBUTE = ForwardedHeaders.class.getName() + ".for";
    private static final HttpField VIA_11 = new PreEncodedHttpField(HttpHeader.VIA, "1.1 " + VIA_NAME);
    private static final HttpField VIA_10 = new PreEncodedHttpField(HttpHeader.VIA, "1.0 " + VIA_NAME);
    private static final HttpField PROTO_HTTP = new PreEncodedHttpField(HttpHeader.X_FORWARDED_PROTO, "http");
    private static final HttpField PROTO_HTTPS = new PreEncodedHttpField(HttpHeader.X_FORWARDED_PROTO, "https");

    private ForwardedHeaders() {
    }

    /** Copies a client's request headers to the request for a replica and adds the forwarding headers. */
    public static void copyRequest(Request from, HttpFields.Mutable to) {
        HttpFields headers = from.getHeaders();
        Set<String> named = connectionTokens(headers);
        for (HttpField field : headers) {
            HttpHeader header = field.getHeader();
            if (header != null ? isDroppedRequestHeader(header) : isProxyHeader(field)) {
                continue;
            }
            if (named == null || !named.contains(field.getLowerCaseName())) {
                to.add(field);
            }
        }
        String priorFor = headers.get(HttpHeader.X_FORWARDED_FOR);
        to.add(priorFor == null ? forwardedFor(from)
                : new HttpField(HttpHeader.X_FORWARDED_FOR, priorFor + ", " + Request.getRemoteAddr(from)));
        to.add(from.isSecure() ? PROTO_HTTPS : PROTO_HTTP);
        String host = headers.get(HttpHeader.HOST);
        if (host != null) {
            to.add(HttpHeader.X_FORWARDED_HOST, host);
        }
        HttpField via = from.getConnectionMetaData().getHttpVersion() == HttpVersion.HTTP_1_0 ? VIA_10 : VIA_11;
        String priorVia = headers.get(HttpHeader.VIA);
        to.add(priorVia == null ? via : new HttpField(HttpHeader.VIA, priorVia + ", " + via.getValue()));
    }

    /** The client's address as a header, made once per connection and kept on it. */
    private static HttpField forwardedFor(Request from) {
        ConnectionMetaData connection = from.getConnectionMetaData();
        Object cached = connection.getAttribute(FORWARDED_FOR_ATTRIBUTE);
        if (cached instanceof HttpField field) {
            return field;
        }
        HttpField field = new PreEncodedHttpField(HttpHeader.X_FORWARDED_FOR, Request.getRemoteAddr(from));
        connection.setAttribute(FORWARDED_FOR_ATTRIBUTE, field);
        return field;
    }

    /** Copies a replica's response headers to the client's response, minus hop-by-hop ones. */
    public static void copyResponse(HttpFields from, HttpFields.Mutable to) {
        Set<String> named = connectionTokens(from);
        for (HttpField field : from) {
            HttpHeader header = field.getHeader();
            if (header != null ? isHopByHop(header) : isProxyHeader(field)) {
                continue;
            }
            if (named == null || !named.contains(field.getLowerCaseName())) {
                to.add(field);
            }
        }
    }

    private static boolean isDroppedRequestHeader(HttpHeader header) {
        switch (header) {
            case HOST:
            case EXPECT: // the server answers 100-continue itself when the body is read
            case X_FORWARDED_FOR:
            case X_FORWARDED_PROTO:
            case X_FORWARDED_HOST:
            case VIA:
                return true;
            default:
                return isHopByHop(header);
        }
    }

    private static boolean isHopByHop(HttpHeader header) {
        switch (header) {
            case CONNECTION:
            case KEEP_ALIVE:
            case PROXY_AUTHORIZATION:
            case PROXY_AUTHENTICATE:
            case PROXY_CONNECTION:
            case TE:
            case TRAILER:
            case TRANSFER_ENCODING:
            case UPGRADE:
                return true;
            default:
                return false;
        }
    }

    private static boolean isProxyHeader(HttpField field) {
        return field.getName().regionMatches(true, 0, "proxy-", 0, 6);
    }

    private static Set<String> connectionTokens(HttpFields headers) {
        Set<String> tokens = null;
        for (HttpField field : headers) {
            if (field.getHeader() != HttpHeader.CONNECTION) {
                continue;
            }
            for (String token : field.getValue().split(",")) {
                String name = token.trim().toLowerCase(Locale.ROOT);
                if (!name.isEmpty()) {
                    if (tokens == null) {
                        tokens = new HashSet<>();
                    }
                    tokens.add(name);
                }
            }
        }
        return tokens;
    }
}
