package io.longshore.jetty.internal.http;

/** Request methods the proxy tells apart; the rest are {@link #OTHER}. */
public enum Method {
    GET(true), HEAD(true), POST(false), PUT(true), DELETE(true), OPTIONS(true), PATCH(false), TRACE(true),
    CONNECT(false), OTHER(false);

    private static final byte[][] NAMES;

    static {
        Method[] all = values();
        NAMES = new byte[all.length - 1][];
        for (int i = 0; i < all.length - 1; i++) {
            NAMES[i] = HttpBytes.ascii(all[i].name());
        }
    }

    private final boolean idempotent;

    Method(boolean idempotent) {
        this.idempotent = idempotent;
    }

    /** Whether sending it twice has the effect of sending it once (RFC 9110 9.2.2), so a retry is safe. */
    public boolean isIdempotent() {
        return idempotent;
    }

    /** The method named by {@code b[from, to)} (case-sensitive, as methods are). */
    static Method of(byte[] b, int from, int to) {
        int length = to - from;
        for (int i = 0; i < NAMES.length; i++) {
            byte[] name = NAMES[i];
            if (name.length == length && java.util.Arrays.equals(b, from, to, name, 0, length)) {
                return values()[i];
            }
        }
        return OTHER;
    }
}
