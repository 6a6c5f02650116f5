package io.longshore.jetty.internal.codec;

/**
 * Finds {@code .} and {@code ..} path segments, plain or percent-encoded, and with path
 * parameters ({@code ..;x}, {@code ..;}: servlet containers and Spring drop a segment's
 * parameters before they resolve it). A proxy that routes by path prefix must not forward them:
 * {@code /api/../admin} and {@code /api/..;/admin} match the prefix {@code /api} but a replica
 * resolves them to {@code /admin}. Stateless.
 */
public final class DotSegments {
    private DotSegments() {
    }

    /** Whether the path {@code b[from, to)} has a segment that decodes to {@code .} or {@code ..}. */
    public static boolean in(byte[] b, int from, int to) {
        int segment = from;
        for (int i = from; i <= to; i++) {
            if (i == to || b[i] == '/') {
                if (isDotSegment(b, segment, i)) {
                    return true;
                }
                segment = i + 1;
            }
        }
        return false;
    }

    private static boolean isDotSegment(byte[] b, int from, int to) {
        int dots = 0;
        int i = from;
        while (i < to && b[i] != ';') {
            if (b[i] == '.') {
                i++;
            } else if (i + 3 <= to && b[i] == '%' && b[i + 1] == '2' && (b[i + 2] == 'e' || b[i + 2] == 'E')) {
                i += 3;
            } else {
                return false;
            }
            if (++dots > 2) {
                return false;
            }
        }
        return dots > 0;
    }
}
