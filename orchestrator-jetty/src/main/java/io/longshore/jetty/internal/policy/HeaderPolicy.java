package io.longshore.jetty.internal.policy;

import java.util.Locale;
import java.util.Set;

/**
 * Which header fields cross the gateway and which it adds, for both proxies:
 * <ul>
 *   <li>hop-by-hop fields never cross, either way (RFC 9110 7.6.1): {@code Connection} and
 *       every field it names, {@code Keep-Alive}, {@code TE}, {@code Trailer},
 *       {@code Transfer-Encoding}, {@code Upgrade} and every {@code Proxy-*} field (a message's
 *       framing is the transport's business: each side gets the framing the gateway writes);</li>
 *   <li>the request fields the gateway writes anew are dropped from the client's request:
 *       {@code Host} (the replica's own), {@code Expect} (the gateway answers it),
 *       {@code Content-Length} (the one length the gateway framed the body by, even when the
 *       client's {@code Connection} names it or repeats the value),
 *       {@code X-Forwarded-For}, {@code X-Forwarded-Proto}, {@code X-Forwarded-Host} and
 *       {@code Via} (appended to, see below);</li>
 *   <li>added to every request: {@code X-Forwarded-For} (the earlier values, then the client's
 *       address, joined by {@value #LIST_SEPARATOR}), {@code X-Forwarded-Proto} ({@code http}, or
 *       {@code https} when a host server embedding the gateway took the request over TLS),
 *       {@code X-Forwarded-Host} (the client's {@code Host}, or the authority of an absolute-form
 *       target) and {@code Via} (the earlier values, then {@code 1.1 longshore}, or
 *       {@code 1.0 longshore} for an HTTP/1.0 client).</li>
 * </ul>
 * Names are compared in lower case. Stateless.
 */
public final class HeaderPolicy {
    /** The pseudonym this gateway adds to {@code Via}. */
    public static final String VIA_PSEUDONYM = "longshore";
    /** How added values join the earlier ones of a list field. */
    public static final String LIST_SEPARATOR = ", ";
    public static final String X_FORWARDED_FOR = "X-Forwarded-For";
    public static final String X_FORWARDED_PROTO = "X-Forwarded-Proto";
    public static final String X_FORWARDED_HOST = "X-Forwarded-Host";
    public static final String VIA = "Via";

    /**
     * RFC 9110 7.6.1's connection-specific fields. Not {@code Trailer}: it announces the trailer
     * fields end to end, and they cross the gateway with a chunked body.
     */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "te",
            "transfer-encoding", "upgrade");
    private static final String PROXY_PREFIX = "proxy-";
    private static final Set<String> REWRITTEN = Set.of("host", "expect", "content-length", "x-forwarded-for",
            "x-forwarded-proto", "x-forwarded-host", "via");

    private HeaderPolicy() {
    }

    /** Whether the field named {@code name} is hop-by-hop, so never crosses the gateway. */
    public static boolean isHopByHop(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return HOP_BY_HOP.contains(lower) || lower.startsWith(PROXY_PREFIX);
    }

    /** Whether the gateway writes the request field named {@code name} itself (dropping the client's). */
    public static boolean isRewrittenInRequests(String name) {
        return REWRITTEN.contains(name.toLowerCase(Locale.ROOT));
    }

    /**
     * Whether a client's request field named {@code name} goes on to the replica, unless the
     * request's {@code Connection} field names it.
     */
    public static boolean forwardsRequestField(String name) {
        return !isHopByHop(name) && !isRewrittenInRequests(name);
    }

    /**
     * Whether a replica's response field named {@code name} goes on to the client, unless the
     * response's {@code Connection} field names it.
     */
    public static boolean forwardsResponseField(String name) {
        return !isHopByHop(name);
    }

    /** The {@code X-Forwarded-Proto} value for a request received over TLS or not. */
    public static String forwardedProto(boolean secure) {
        return secure ? "https" : "http";
    }

    /** The gateway's own {@code Via} entry for a client speaking HTTP/1.0 or HTTP/1.1. */
    public static String via(boolean http10) {
        return (http10 ? "1.0 " : "1.1 ") + VIA_PSEUDONYM;
    }

    /** A list field's earlier values (or {@code null}) with {@code added} appended. */
    public static String append(String earlier, String added) {
        return earlier == null || earlier.isEmpty() ? added : earlier + LIST_SEPARATOR + added;
    }
}
