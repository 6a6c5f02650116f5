package io.longshore.jetty.internal.codec;

import java.nio.charset.StandardCharsets;

/** Character classes of RFC 9110/9112 as lookup tables, and small byte helpers. Stateless. */
final class HttpBytes {
    static final byte CR = '\r';
    static final byte LF = '\n';
    static final byte SP = ' ';
    static final byte HTAB = '\t';
    static final byte COLON = ':';

    private static final boolean[] TOKEN = new boolean[256];
    private static final boolean[] FIELD_VALUE = new boolean[256];
    private static final boolean[] TARGET = new boolean[256];
    private static final boolean[] QUOTED_TEXT = new boolean[256];

    static {
        for (int c = '0'; c <= '9'; c++) {
            TOKEN[c] = true;
        }
        for (int c = 'a'; c <= 'z'; c++) {
            TOKEN[c] = true;
            TOKEN[c - 32] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TOKEN[c] = true;
        }
        for (int c = 0x21; c <= 0x7e; c++) {
            FIELD_VALUE[c] = true;
            TARGET[c] = true;
        }
        for (int c = 0x80; c <= 0xff; c++) {
            FIELD_VALUE[c] = true; // obs-text
        }
        FIELD_VALUE[SP] = true;
        FIELD_VALUE[HTAB] = true;
        TARGET['#'] = false; // a fragment never travels in a request target
        System.arraycopy(FIELD_VALUE, 0, QUOTED_TEXT, 0, 256);
        QUOTED_TEXT['"'] = false;
        QUOTED_TEXT['\\'] = false;
    }

    private HttpBytes() {
    }

    static boolean isToken(byte b) {
        return TOKEN[b & 0xff];
    }

    static boolean isFieldValue(byte b) {
        return FIELD_VALUE[b & 0xff];
    }

    /** {@code qdtext} of RFC 9110 5.6.4: what a quoted string holds unescaped. */
    static boolean isQuotedText(byte b) {
        return QUOTED_TEXT[b & 0xff];
    }

    static boolean isTarget(byte b) {
        return TARGET[b & 0xff];
    }

    static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    static boolean isWhitespace(byte b) {
        return b == SP || b == HTAB;
    }

    /** ASCII lower case of a letter; other bytes unchanged. */
    static int lower(byte b) {
        return b >= 'A' && b <= 'Z' ? b + 32 : b;
    }

    /** Whether {@code b[from, to)} equals {@code lowerCase} ignoring ASCII case. */
    static boolean equalsIgnoreCase(byte[] b, int from, int to, byte[] lowerCase) {
        if (to - from != lowerCase.length) {
            return false;
        }
        for (int i = 0; i < lowerCase.length; i++) {
            if (lower(b[from + i]) != lowerCase[i]) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code b[from, to)} starts with {@code lowerCase} ignoring ASCII case. */
    static boolean startsWithIgnoreCase(byte[] b, int from, int to, byte[] lowerCase) {
        return to - from >= lowerCase.length && equalsIgnoreCase(b, from, from + lowerCase.length, lowerCase);
    }

    /** The index after the CRLF (or bare LF) at {@code b[i]}, or -1 when no line ends there. */
    static int afterLineEnd(byte[] b, int i, int n) {
        if (i < n && b[i] == CR) {
            return i + 1 < n && b[i + 1] == LF ? i + 2 : -1;
        }
        return i < n && b[i] == LF ? i + 1 : -1;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
