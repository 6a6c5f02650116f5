package io.longshore.jetty.internal.embedded;

import io.longshore.jetty.internal.policy.HeaderPolicy;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.Request;

/**
 * Applies the gateway's {@link HeaderPolicy} to Jetty's header fields: what a client's request
 * keeps and gains on its way to a replica, and what a replica's response keeps on its way back.
 * Fields are shared, not copied. Stateless.
 */
final class ForwardedHeaders {
    private ForwardedHeaders() {
    }

    /** Copies a client's request fields the policy forwards and adds the forwarding fields. */
    static void copyRequest(Request from, HttpFields.Mutable to) {
        HttpFields headers = from.getHeaders();
        HttpVersion version = from.getConnectionMetaData().getHttpVersion();
        // HTTP/2 and 3 may split the cookie field into crumbs, which go to an HTTP/1.1 replica as
        // one field joined with "; " (RFC 9113 8.2.3, RFC 9114 4.2.1)
        boolean joinCookies = version.getVersion() >= HttpVersion.HTTP_2.getVersion();
        StringBuilder cookies = null;
        Set<String> named = connectionTokens(headers);
        for (HttpField field : headers) {
            String name = field.getLowerCaseName();
            if (!HeaderPolicy.forwardsRequestField(name) || named != null && named.contains(name)) {
                continue;
            }
            if (joinCookies && field.getHeader() == HttpHeader.COOKIE) {
                if (cookies == null) {
                    cookies = new StringBuilder(field.getValue());
                } else {
                    cookies.append("; ").append(field.getValue());
                }
            } else {
                to.add(field);
            }
        }
        if (cookies != null) {
            to.add(HttpHeader.COOKIE, cookies.toString());
        }
        to.add(HeaderPolicy.X_FORWARDED_FOR,
                HeaderPolicy.append(joined(headers, HttpHeader.X_FORWARDED_FOR), Request.getRemoteAddr(from)));
        // the connection's security, not Request.isSecure(): that follows the request's scheme,
        // which the client writes (an absolute-form target, an HTTP/2 stream's :scheme)
        to.add(HeaderPolicy.X_FORWARDED_PROTO, HeaderPolicy.forwardedProto(from.getConnectionMetaData().isSecure()));
        // an absolute-form target's authority, an HTTP/2 stream's :authority, else the Host field
        String host = RequestHosts.of(from);
        if (host != null) {
            to.add(HeaderPolicy.X_FORWARDED_HOST, host);
        }
        boolean http10 = version == HttpVersion.HTTP_1_0;
        to.add(HeaderPolicy.VIA, HeaderPolicy.append(joined(headers, HttpHeader.VIA), HeaderPolicy.via(http10)));
    }

    /** Copies a replica's response fields the policy forwards. */
    static void copyResponse(HttpFields from, HttpFields.Mutable to) {
        Set<String> named = connectionTokens(from);
        for (HttpField field : from) {
            String name = field.getLowerCaseName();
            if (HeaderPolicy.forwardsResponseField(name) && (named == null || !named.contains(name))) {
                to.add(field);
            }
        }
    }

    /** Every value of the fields named {@code header}, joined as one list; {@code null} for none. */
    private static String joined(HttpFields headers, HttpHeader header) {
        List<String> values = headers.getValuesList(header);
        String all = null;
        for (String value : values) {
            if (!value.isEmpty()) {
                all = HeaderPolicy.append(all, value);
            }
        }
        return all;
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
