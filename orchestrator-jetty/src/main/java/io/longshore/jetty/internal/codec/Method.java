package io.longshore.jetty.internal.codec;

import java.util.Arrays;

/** Request methods the proxy tells apart; the rest are {@link #OTHER}. */
public enum Method {
    GET(true), HEAD(true), POST(false), PUT(true), DELETE(true), OPTIONS(true), PATCH(false), TRACE(true),
    CONNECT(false), OTHER(false);

    /** Every method but {@link #OTHER}, looked up once ({@code values()} copies its array per call). */
    private static final Method[] NAMED;
    private static final byte[][] NAMES;

    static {
        Method[] all = values();
        NAMED = Arrays.copyOf(all, all.length - 1);
        NAMES = new byte[NAMED.length][];
        for (int i = 0; i < NAMED.length; i++) {
            NAMES[i] = HttpBytes.ascii(NAMED[i].name());
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

    /** The method named {@code name} (case-sensitive, as methods are). */
    /** Whether {@code name} may be a method at all: a non-empty token (RFC 9110 9.1, 5.6.2). */
    public static boolean isValidName(String name) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c > 0x7f || !HttpBytes.isToken((byte) c)) {
                return false;
            }
        }
        return true;
    }

    public static Method of(String name) {
        for (Method method : NAMED) {
            if (method.name().equals(name)) {
                return method;
            }
        }
        return OTHER;
    }

    /** The method named by {@code b[from, to)} (case-sensitive, as methods are). */
    static Method of(byte[] b, int from, int to) {
        int length = to - from;
        for (int i = 0; i < NAMES.length; i++) {
            byte[] name = NAMES[i];
            if (name.length == length && Arrays.equals(b, from, to, name, 0, length)) {
                return NAMED[i];
            }
        }
        return OTHER;
    }
}
