package io.longshore.jetty.internal.codec;

import io.longshore.jetty.internal.policy.HeaderPolicy;
import java.nio.charset.StandardCharsets;

/**
 * The header names the proxy treats specially, as small ints so a parsed head stores one byte
 * per field. Everything else is {@link #OTHER}. Which of them cross the proxy is read from the
 * gateway's {@link HeaderPolicy} once, when the class loads. Stateless.
 */
final class HeaderName {
    static final byte OTHER = 0;
    static final byte HOST = 1;
    static final byte CONTENT_LENGTH = 2;
    static final byte TRANSFER_ENCODING = 3;
    static final byte CONNECTION = 4;
    static final byte KEEP_ALIVE = 5;
    static final byte TE = 6;
    static final byte TRAILER = 7;
    static final byte UPGRADE = 8;
    static final byte EXPECT = 9;
    static final byte X_FORWARDED_FOR = 10;
    static final byte X_FORWARDED_PROTO = 11;
    static final byte X_FORWARDED_HOST = 12;
    static final byte VIA = 13;
    /** {@code Proxy-Connection}, {@code Proxy-Authorization} and every other {@code Proxy-*}. */
    static final byte PROXY = 14;

    private static final byte[][] NAMES = new byte[15][];
    private static final byte[] PROXY_PREFIX = HttpBytes.ascii("proxy-");
    private static final boolean[] HOP_BY_HOP = new boolean[NAMES.length];
    private static final boolean[] REWRITTEN = new boolean[NAMES.length];

    static {
        NAMES[HOST] = HttpBytes.ascii("host");
        NAMES[CONTENT_LENGTH] = HttpBytes.ascii("content-length");
        NAMES[TRANSFER_ENCODING] = HttpBytes.ascii("transfer-encoding");
        NAMES[CONNECTION] = HttpBytes.ascii("connection");
        NAMES[KEEP_ALIVE] = HttpBytes.ascii("keep-alive");
        NAMES[TE] = HttpBytes.ascii("te");
        NAMES[TRAILER] = HttpBytes.ascii("trailer");
        NAMES[UPGRADE] = HttpBytes.ascii("upgrade");
        NAMES[EXPECT] = HttpBytes.ascii("expect");
        NAMES[X_FORWARDED_FOR] = HttpBytes.ascii("x-forwarded-for");
        NAMES[X_FORWARDED_PROTO] = HttpBytes.ascii("x-forwarded-proto");
        NAMES[X_FORWARDED_HOST] = HttpBytes.ascii("x-forwarded-host");
        NAMES[VIA] = HttpBytes.ascii("via");
        for (int id = 1; id < NAMES.length; id++) {
            String name = id == PROXY ? "proxy-connection" : new String(NAMES[id], StandardCharsets.US_ASCII);
            HOP_BY_HOP[id] = HeaderPolicy.isHopByHop(name);
            REWRITTEN[id] = HeaderPolicy.isRewrittenInRequests(name);
        }
    }

    private HeaderName() {
    }

    /** The id of the (already validated) field name {@code b[from, to)}. */
    static byte of(byte[] b, int from, int to) {
        int length = to - from;
        byte candidate = switch (length) {
            case 2 -> TE;
            case 3 -> VIA;
            case 4 -> HOST;
            case 6 -> EXPECT;
            case 7 -> HttpBytes.lower(b[from]) == 'u' ? UPGRADE : TRAILER;
            case 10 -> HttpBytes.lower(b[from]) == 'c' ? CONNECTION : KEEP_ALIVE;
            case 14 -> CONTENT_LENGTH;
            case 15 -> X_FORWARDED_FOR;
            case 16 -> X_FORWARDED_HOST;
            case 17 -> HttpBytes.lower(b[from]) == 't' ? TRANSFER_ENCODING : X_FORWARDED_PROTO;
            default -> OTHER;
        };
        if (candidate != OTHER && HttpBytes.equalsIgnoreCase(b, from, to, NAMES[candidate])) {
            return candidate;
        }
        return HttpBytes.startsWithIgnoreCase(b, from, to, PROXY_PREFIX) ? PROXY : OTHER;
    }

    /** Whether {@code name} is a hop-by-hop field: it never crosses the proxy ({@link HeaderPolicy#isHopByHop}). */
    static boolean isHopByHop(byte name) {
        return HOP_BY_HOP[name];
    }

    /** Whether the gateway writes the request field {@code name} itself ({@link HeaderPolicy#isRewrittenInRequests}). */
    static boolean isRewrittenInRequests(byte name) {
        return REWRITTEN[name];
    }
}
