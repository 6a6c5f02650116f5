package io.longshore.jetty.internal.codec;

import java.util.Arrays;

/**
 * A parsed request head (RFC 9112): method, target, version and fields, checked as strictly as
 * a proxy in front of other servers must be, so that the replica and the gateway can never
 * disagree on where a request ends (no request smuggling). Reused; not thread-safe.
 *
 * <p>Errors: 400 for anything malformed (bad start line, field syntax, conflicting or invalid
 * framing, no or several {@code Host} fields in HTTP/1.1, a {@code Host} or absolute-form
 * authority that is not {@code host[:port]}, dot segments in the path), 414 for a
 * request line over the limit, 431 for fields over it, 417 for an expectation other than
 * {@code 100-continue} (empty list elements are ignored), 501 for transfer codings other than
 * chunked and for CONNECT, 505 for HTTP versions other than 1.x.
 */
public final class RequestHead extends MessageHead {
    private static final byte[] HTTP_SLASH = HttpBytes.ascii("HTTP/");
    private static final byte[] HTTP_SCHEME = HttpBytes.ascii("http://");
    private static final byte[] HTTPS_SCHEME = HttpBytes.ascii("https://");
    private static final byte[] CONTINUE = HttpBytes.ascii("100-continue");

    private Method method;
    private int methodStart;
    private int methodEnd;
    private int targetStart;
    private int targetEnd;
    private int pathStart;
    private int pathEnd;
    private int authorityStart;
    private int authorityEnd;
    private int hostField;
    private int hostCount;
    private boolean expectContinue;

    /** @param maxBytes the longest head accepted */
    public RequestHead(int maxBytes) {
        super(maxBytes);
    }

    @Override
    protected int tooLargeStatus(boolean inStartLine) {
        return inStartLine ? 414 : 431;
    }

    @Override
    protected int parseHead() {
        byte[] b = bytes;
        int n = length;
        int i = 0;
        while (i < n && (b[i] == HttpBytes.CR || b[i] == HttpBytes.LF)) {
            i++; // empty lines before the request line
        }
        methodStart = i;
        while (i < n && HttpBytes.isToken(b[i])) {
            i++;
        }
        if (i == methodStart || i >= n || b[i] != HttpBytes.SP) {
            return Parse.error(400);
        }
        methodEnd = i++;
        method = Method.of(b, methodStart, methodEnd);
        targetStart = i;
        while (i < n && HttpBytes.isTarget(b[i])) {
            i++;
        }
        targetEnd = i;
        if (targetEnd == targetStart || i >= n || b[i] != HttpBytes.SP) {
            return Parse.error(400);
        }
        int version = version(i + 1);
        if (version < 0) {
            return version;
        }
        startLineRead();
        int target = target();
        if (target < 0) {
            return target;
        }
        hostField = -1;
        hostCount = 0;
        expectContinue = false;
        return parseFields(version);
    }

    /** Parses {@code HTTP/1.x CRLF} at {@code i}; returns the index after it or an error. */
    private int version(int i) {
        byte[] b = bytes;
        if (i + 8 > length || !Arrays.equals(b, i, i + 5, HTTP_SLASH, 0, 5)
                || !HttpBytes.isDigit(b[i + 5]) || b[i + 6] != '.' || !HttpBytes.isDigit(b[i + 7])) {
            return Parse.error(400);
        }
        if (b[i + 5] != '1') {
            return Parse.error(505);
        }
        http10 = b[i + 7] == '0';
        int next = HttpBytes.afterLineEnd(b, i + 8, length);
        return next < 0 ? Parse.error(400) : next;
    }

    /** Splits the target into authority and path (origin, absolute and asterisk forms). */
    private int target() {
        byte[] b = bytes;
        authorityStart = -1;
        authorityEnd = -1;
        int start = targetStart;
        if (b[start] == '/') {
            pathStart = start;
        } else if (b[start] == '*' && targetEnd - start == 1) {
            if (method != Method.OPTIONS) {
                return Parse.error(400);
            }
            pathStart = start;
            pathEnd = targetEnd;
            return 0;
        } else if (HttpBytes.startsWithIgnoreCase(b, start, targetEnd, HTTP_SCHEME)
                || HttpBytes.startsWithIgnoreCase(b, start, targetEnd, HTTPS_SCHEME)) {
            authorityStart = start + (HttpBytes.lower(b[start + 4]) == 's' ? 8 : 7);
            int i = authorityStart;
            while (i < targetEnd && b[i] != '/' && b[i] != '?') {
                i++;
            }
            authorityEnd = i;
            if (authorityEnd == authorityStart || !HostSyntax.isValid(b, authorityStart, authorityEnd)) {
                return Parse.error(400); // no host, or userinfo (RFC 9110 4.2.4) or another bad authority
            }
            pathStart = i;
        } else {
            return Parse.error(method == Method.CONNECT ? 501 : 400);
        }
        if (method == Method.CONNECT) {
            return Parse.error(501);
        }
        int i = pathStart;
        while (i < targetEnd && b[i] != '?') {
            i++;
        }
        pathEnd = i;
        return DotSegments.in(b, pathStart, pathEnd) ? Parse.error(400) : 0;
    }

    @Override
    protected int onField(int index, byte name) {
        if (name == HeaderName.HOST) {
            hostCount++;
            hostField = index;
        } else if (name == HeaderName.EXPECT) {
            int expectations = continueExpectations(valueStart(index), valueEnd(index));
            if (expectations < 0) {
                return Parse.error(417);
            }
            expectContinue |= expectations > 0 && !http10;
        }
        return 0;
    }

    /**
     * How many {@code 100-continue} elements the {@code Expect} list in {@code bytes[from, to)}
     * holds, or -1 when it holds another expectation. Empty elements ({@code 100-continue,},
     * {@code , 100-continue}) are ignored, as RFC 9110 5.6.1 requires of a recipient.
     */
    private int continueExpectations(int from, int to) {
        byte[] b = bytes;
        int found = 0;
        for (int i = from; i <= to; i++) {
            int start = i;
            while (i < to && b[i] != ',') {
                i++;
            }
            int end = i;
            while (start < end && HttpBytes.isWhitespace(b[start])) {
                start++;
            }
            while (end > start && HttpBytes.isWhitespace(b[end - 1])) {
                end--;
            }
            if (start < end && !HttpBytes.equalsIgnoreCase(b, start, end, CONTINUE)) {
                return -1;
            }
            found += start < end ? 1 : 0;
        }
        return found;
    }

    /** The rules of RFC 9112 6.1-6.3 and 3.2 a server must enforce. */
    @Override
    protected int afterFields() {
        if (!http10 && hostCount != 1) {
            return Parse.error(400);
        }
        if (http10 && hostCount > 1) {
            return Parse.error(400);
        }
        if (hostCount == 1 && !HostSyntax.isValid(bytes, valueStart(hostField), valueEnd(hostField))) {
            return Parse.error(400);
        }
        if (transferEncoding) {
            if (http10 || contentLength != NO_LENGTH || !chunked) {
                return Parse.error(400);
            }
            if (otherCoding) {
                return Parse.error(501);
            }
        }
        return 0;
    }

    public Method method() {
        return method;
    }

    /** The method as sent; a constant for the common ones. */
    public String methodName() {
        return method == Method.OTHER ? text(methodStart, methodEnd) : method.name();
    }

    public int methodStart() {
        return methodStart;
    }

    public int methodEnd() {
        return methodEnd;
    }

    public int targetStart() {
        return targetStart;
    }

    public int targetEnd() {
        return targetEnd;
    }

    /** Where the path starts: the target's start, or after the authority of an absolute-form target. */
    public int pathStart() {
        return pathStart;
    }

    /** Where the path ends: at the query's {@code ?} or the target's end. */
    public int pathEnd() {
        return pathEnd;
    }

    /** Whether the target was in absolute form ({@code http://host/path}). */
    public boolean isAbsoluteForm() {
        return authorityStart >= 0;
    }

    public int authorityStart() {
        return authorityStart;
    }

    public int authorityEnd() {
        return authorityEnd;
    }

    public boolean isHttp10() {
        return http10;
    }

    /** The {@code Host} field's index, or -1. */
    public int hostField() {
        return hostField;
    }

    /**
     * The host the request names: an absolute-form target's authority, whatever the
     * {@code Host} field says (RFC 9112 3.2.2), else the {@code Host} field's value; {@code null}
     * for neither (an HTTP/1.0 request without one). Allocates.
     */
    public String host() {
        if (isAbsoluteForm()) {
            return text(authorityStart, authorityEnd);
        }
        return hostField < 0 ? null : text(valueStart(hostField), valueEnd(hostField));
    }

    /** Whether the client waits for {@code 100 Continue} before sending its body. */
    public boolean expectsContinue() {
        return expectContinue && hasBody();
    }

    /** Whether a body follows the head (a positive Content-Length or chunked). */
    public boolean hasBody() {
        return isChunked() || contentLength > 0;
    }

    /**
     * Whether the client wants the connection kept after the response: HTTP/1.1 unless
     * {@code Connection: close}, HTTP/1.0 only with {@code Connection: keep-alive}.
     */
    public boolean wantsKeepAlive() {
        return persists();
    }

    /** The path as a string. Allocates. */
    public String path() {
        return pathEnd == pathStart ? "/" : text(pathStart, pathEnd);
    }
}
