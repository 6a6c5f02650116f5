package io.longshore.jetty.internal.codec;

/**
 * What a load-balancing strategy reads of a parsed request — its path, a header's first value
 * (for {@code Host}, an absolute-form target's authority), a cookie — as {@link HeadText} views
 * over the head's bytes, so that routing allocates nothing.
 * Cookies are found by scanning the bytes of the {@code Cookie} fields by the same rules as the
 * API's {@link io.longshore.api.internal.Cookies} (which works on any characters, a step slower).
 * One per exchange, reused request after request; each kind has a view of its own, so a strategy
 * may read a header and a cookie at once. Not thread-safe.
 */
public final class RouteViews {
    private static final String COOKIE = "Cookie";
    private static final String HOST = "Host";

    private final HeadText path = new HeadText();
    private final HeadText header = new HeadText();
    private final HeadText cookie = new HeadText();

    /** The path of {@code head}, without the query; {@code /} for an empty one (the asterisk form's {@code *} as is). */
    public CharSequence path(RequestHead head) {
        return head.pathEnd() == head.pathStart() ? "/" : path.set(head.bytes(), head.pathStart(), head.pathEnd());
    }

    /**
     * The first value of header {@code name} (any case) in {@code head}, or {@code null}; for
     * {@code Host}, the host the request names ({@link RequestHead#host()}): an absolute-form
     * target's authority over the {@code Host} field.
     */
    public CharSequence header(RequestHead head, String name) {
        if (head.isAbsoluteForm() && HOST.equalsIgnoreCase(name)) {
            return header.set(head.bytes(), head.authorityStart(), head.authorityEnd());
        }
        int field = head.fieldIndex(name, 0);
        return field < 0 ? null : header.set(head.bytes(), head.valueStart(field), head.valueEnd(field));
    }

    /** {@link #header} as a new string: what {@code RouteRequest.header} answers. */
    public static String headerText(RequestHead head, String name) {
        return HOST.equalsIgnoreCase(name) ? head.host() : head.field(name);
    }

    /** The value of cookie {@code name} in the {@code Cookie} fields of {@code head}, or {@code null}. */
    public CharSequence cookie(RequestHead head, String name) {
        byte[] b = head.bytes();
        for (int field = head.fieldIndex(COOKIE, 0); field >= 0; field = head.fieldIndex(COOKIE, field + 1)) {
            int end = head.valueEnd(field);
            for (int i = head.valueStart(field); i < end; i = nextPair(b, i, end)) {
                while (i < end && (HttpBytes.isWhitespace(b[i]) || b[i] == ';')) {
                    i++;
                }
                int value = valueAfter(b, i, end, name);
                if (value >= 0) {
                    return valueView(b, value, end);
                }
            }
        }
        return null;
    }

    /** Where the value of the pair at {@code i} starts if the pair is named {@code name}, else -1. */
    private static int valueAfter(byte[] b, int i, int end, String name) {
        int n = name.length();
        if (i + n > end) {
            return -1;
        }
        for (int k = 0; k < n; k++) {
            if (b[i + k] != name.charAt(k)) {
                return -1;
            }
        }
        int equals = i + n;
        while (equals < end && HttpBytes.isWhitespace(b[equals])) {
            equals++;
        }
        return equals < end && b[equals] == '=' ? equals + 1 : -1;
    }

    /** The value from {@code from} to the pair's end, spaces and one pair of double quotes removed. */
    private CharSequence valueView(byte[] b, int from, int end) {
        int to = from;
        while (to < end && b[to] != ';') {
            to++;
        }
        while (to > from && HttpBytes.isWhitespace(b[to - 1])) {
            to--;
        }
        while (from < to && HttpBytes.isWhitespace(b[from])) {
            from++;
        }
        if (to - from >= 2 && b[from] == '"' && b[to - 1] == '"') {
            from++;
            to--;
        }
        return cookie.set(b, from, to);
    }

    /** Past the {@code ;} that ends the pair at {@code i}. */
    private static int nextPair(byte[] b, int i, int end) {
        while (i < end && b[i] != ';') {
            i++;
        }
        return i + 1;
    }
}
