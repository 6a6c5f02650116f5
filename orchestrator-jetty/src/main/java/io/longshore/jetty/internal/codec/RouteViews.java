package io.longshore.jetty.internal.codec;

import io.longshore.api.internal.Cookies;

/**
 * What a load-balancing strategy reads of a parsed request — its path, a header's first value, a
 * cookie — as {@link HeadText} views over the head's bytes, so that routing allocates nothing.
 * One per exchange, reused request after request; each kind has a view of its own, so a strategy
 * may read a header and a cookie at once. Not thread-safe.
 */
public final class RouteViews {
    private static final String COOKIE = "Cookie";

    private final HeadText path = new HeadText();
    private final HeadText header = new HeadText();
    private final HeadText cookie = new HeadText();
    private final HeadText scratch = new HeadText();

    /** The path of {@code head}, without the query; {@code /} for an empty one (the asterisk form's {@code *} as is). */
    public CharSequence path(RequestHead head) {
        return head.pathEnd() == head.pathStart() ? "/" : path.set(head.bytes(), head.pathStart(), head.pathEnd());
    }

    /** The first value of header {@code name} (any case) in {@code head}, or {@code null}. */
    public CharSequence header(RequestHead head, String name) {
        int field = head.fieldIndex(name, 0);
        return field < 0 ? null : header.set(head.bytes(), head.valueStart(field), head.valueEnd(field));
    }

    /** The value of cookie {@code name} in the {@code Cookie} fields of {@code head}, or {@code null}. */
    public CharSequence cookie(RequestHead head, String name) {
        for (int field = head.fieldIndex(COOKIE, 0); field >= 0; field = head.fieldIndex(COOKIE, field + 1)) {
            int start = head.valueStart(field);
            long range = Cookies.find(scratch.set(head.bytes(), start, head.valueEnd(field)), name);
            if (range != Cookies.NOT_FOUND) {
                return cookie.set(head.bytes(), start + Cookies.start(range), start + Cookies.end(range));
            }
        }
        return null;
    }
}
