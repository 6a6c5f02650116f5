package io.longshore.jetty.internal.codec;

import java.util.Arrays;

/**
 * A parsed response head from a replica. Anything malformed is an error (the gateway answers
 * 502 for it), as are a status code outside 100..599 and a head over the limit. Reused; not
 * thread-safe.
 */
public final class ResponseHead extends MessageHead {
    private static final byte[] HTTP_SLASH = HttpBytes.ascii("HTTP/");

    private int status;
    private int statusStart;
    private int statusLineEnd;

    /** @param maxBytes the longest head accepted */
    public ResponseHead(int maxBytes) {
        super(maxBytes);
    }

    @Override
    protected int tooLargeStatus(boolean inStartLine) {
        return 502;
    }

    @Override
    protected int parseHead() {
        byte[] b = bytes;
        int n = length;
        if (n < 13 || !Arrays.equals(b, 0, 5, HTTP_SLASH, 0, 5) || b[5] != '1' || b[6] != '.'
                || !HttpBytes.isDigit(b[7]) || b[8] != HttpBytes.SP || !HttpBytes.isDigit(b[9]) || !HttpBytes.isDigit(b[10])
                || !HttpBytes.isDigit(b[11])) {
            return Parse.error(502);
        }
        http10 = b[7] == '0';
        statusStart = 9;
        status = (b[9] - '0') * 100 + (b[10] - '0') * 10 + (b[11] - '0');
        if (Integer.compareUnsigned(status - 100, 500) >= 0) { // not 100..599 (RFC 9110 15), in one comparison
            return Parse.error(502);
        }
        int i = 12;
        if (b[i] == HttpBytes.SP) {
            i++;
            while (i < n && HttpBytes.isFieldValue(b[i])) {
                i++;
            }
        }
        statusLineEnd = i;
        i = HttpBytes.afterLineEnd(b, i, n);
        return i < 0 ? Parse.error(502) : parseFields(i);
    }

    /** A replica's malformed response is always the gateway's 502. */
    @Override
    protected int errorStatus(int status) {
        return 502;
    }

    public int status() {
        return status;
    }

    /** Where the status code starts in the status line (what follows {@code HTTP/1.x }). */
    public int statusStart() {
        return statusStart;
    }

    /** Where the status line ends, before its CRLF. */
    public int statusLineEnd() {
        return statusLineEnd;
    }

    /** Whether the status is 1xx: a final response follows the same request. */
    public boolean isInterim() {
        return status < 200;
    }

    /** How the body of this response is delimited, given whether it answers a HEAD request. */
    public Framing framing(boolean headRequest) {
        if (headRequest || status < 200 || status == 204 || status == 304) {
            return Framing.NONE;
        }
        if (transferEncoding) {
            return isChunked() ? Framing.CHUNKED : Framing.UNTIL_CLOSE;
        }
        return contentLength == NO_LENGTH ? Framing.UNTIL_CLOSE : Framing.FIXED;
    }

    /**
     * Whether the replica lets the connection be reused after this response: not after an
     * HTTP/1.0 response with {@code Transfer-Encoding}, whose framing RFC 9112 6.1 says to treat
     * as faulty, nor after one with both {@code Transfer-Encoding} and {@code Content-Length}
     * (RFC 9112 6.3: a sign of response splitting, to be handled as an error): the body is read by
     * its {@code Transfer-Encoding}, and what the replica meant by the length is not trusted on
     * that connection again.
     */
    public boolean allowsReuse() {
        return persists() && !(hasTransferEncoding() && (http10 || contentLength != NO_LENGTH));
    }
}
