package io.longshore.jetty.internal.codec;

/**
 * The syntax of a {@code Host} field value and of an absolute-form target's authority (RFC 9110
 * 7.2, RFC 3986 3.2): {@code uri-host [ ":" port ]}, where the host is a reg-name or IPv4 address
 * (unreserved characters, percent-encodings, sub-delims) or a bracketed IP literal, and the port
 * digits. No userinfo ({@code @}), no spaces, no slash: RFC 9112 3.2 has a server answer 400 to a
 * Host it cannot take, and a replica must not be handed one it might read differently. An empty
 * value is valid (a target without an authority). Stateless.
 */
public final class HostSyntax {
    private static final boolean[] REG_NAME = new boolean[256];
    private static final boolean[] IP_LITERAL = new boolean[256];

    static {
        for (int c = '0'; c <= '9'; c++) {
            REG_NAME[c] = true;
        }
        for (int c = 'a'; c <= 'z'; c++) {
            REG_NAME[c] = true;
            REG_NAME[c - 32] = true;
        }
        for (char c : "-._~!$&'()*+,;=".toCharArray()) { // unreserved and sub-delims
            REG_NAME[c] = true;
        }
        System.arraycopy(REG_NAME, 0, IP_LITERAL, 0, 256);
        IP_LITERAL[':'] = true;
    }

    private HostSyntax() {
    }

    /**
     * Whether {@code value} is a valid {@code uri-host [ ":" port ]} (an empty one too). A
     * character outside ASCII becomes a byte (or {@code ?}) that no part of the syntax allows.
     */
    public static boolean isValid(String value) {
        byte[] bytes = value.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        return isValid(bytes, 0, bytes.length);
    }

    /**
     * {@code host} without the brackets of an IP literal ({@code [::1]} is {@code ::1}), so that
     * both spellings of an address compare equal; any other value unchanged. No port is taken off.
     */
    public static String withoutBrackets(String host) {
        int last = host.length() - 1;
        return last > 0 && host.charAt(0) == '[' && host.charAt(last) == ']' ? host.substring(1, last) : host;
    }

    /** Whether {@code b[from, to)} is a valid {@code uri-host [ ":" port ]}. */
    static boolean isValid(byte[] b, int from, int to) {
        int i = from;
        if (i < to && b[i] == '[') {
            i++;
            int start = i;
            while (i < to && IP_LITERAL[b[i] & 0xff]) {
                i++;
            }
            if (i == start || i >= to || b[i] != ']') {
                return false;
            }
            i++;
        } else {
            while (i < to && (REG_NAME[b[i] & 0xff] || b[i] == '%')) {
                if (b[i] == '%' && (i + 2 >= to || !isHex(b[i + 1]) || !isHex(b[i + 2]))) {
                    return false;
                }
                i += b[i] == '%' ? 3 : 1;
            }
        }
        if (i < to && b[i] == ':') {
            i++;
            while (i < to && HttpBytes.isDigit(b[i])) {
                i++;
            }
        }
        return i == to;
    }

    private static boolean isHex(byte b) {
        return HttpBytes.isDigit(b) || (b | 0x20) >= 'a' && (b | 0x20) <= 'f';
    }
}
