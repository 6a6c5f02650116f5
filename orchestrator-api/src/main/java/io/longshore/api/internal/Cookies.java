package io.longshore.api.internal;

/**
 * Finds one cookie's value in a {@code Cookie} header: the pairs {@code name=value} separated by
 * {@code ;} and optional whitespace (RFC 6265 section 4.2), names compared exactly, a value in
 * double quotes answered without them. Works on any {@link CharSequence}, so a gateway can scan
 * its own buffer without copying it; allocates nothing. Stateless.
 */
public final class Cookies {
    /** The answer "no such cookie". */
    public static final long NOT_FOUND = -1;

    private Cookies() {
    }

    /**
     * Where the value of cookie {@code name} lies in {@code header}: its start in the high 32 bits
     * and its end in the low 32 bits (see {@link #start} and {@link #end}), or {@link #NOT_FOUND}
     * (also for a null header).
     */
    public static long find(CharSequence header, String name) {
        if (header == null) {
            return NOT_FOUND;
        }
        int length = header.length();
        int i = 0;
        while (i < length) {
            while (i < length && (isSpace(header.charAt(i)) || header.charAt(i) == ';')) {
                i++;
            }
            int afterName = i + name.length();
            if (afterName <= length && startsWith(header, i, name)) {
                int equals = afterName;
                while (equals < length && isSpace(header.charAt(equals))) {
                    equals++;
                }
                if (equals < length && header.charAt(equals) == '=') {
                    int end = equals + 1;
                    while (end < length && header.charAt(end) != ';') {
                        end++;
                    }
                    return unquoted(header, equals + 1, trimEnd(header, equals + 1, end));
                }
            }
            while (i < length && header.charAt(i) != ';') {
                i++;
            }
        }
        return NOT_FOUND;
    }

    /** The start of a range {@link #find} answered. */
    public static int start(long range) {
        return (int) (range >>> 32);
    }

    /** The end (exclusive) of a range {@link #find} answered. */
    public static int end(long range) {
        return (int) range;
    }

    /** The value of cookie {@code name} in {@code header} as a subsequence, or {@code null}. */
    public static CharSequence value(CharSequence header, String name) {
        long range = find(header, name);
        return range == NOT_FOUND ? null : header.subSequence(start(range), end(range));
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }

    private static boolean startsWith(CharSequence text, int from, String prefix) {
        for (int k = 0; k < prefix.length(); k++) {
            if (text.charAt(from + k) != prefix.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private static int trimEnd(CharSequence text, int from, int to) {
        while (to > from && isSpace(text.charAt(to - 1))) {
            to--;
        }
        return to;
    }

    private static long unquoted(CharSequence header, int from, int to) {
        while (from < to && isSpace(header.charAt(from))) {
            from++;
        }
        if (to - from >= 2 && header.charAt(from) == '"' && header.charAt(to - 1) == '"') {
            from++;
            to--;
        }
        return ((long) from << 32) | (to & 0xFFFF_FFFFL);
    }
}
