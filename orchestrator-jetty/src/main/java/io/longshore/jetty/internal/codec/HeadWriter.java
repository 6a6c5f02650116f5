package io.longshore.jetty.internal.codec;

import io.longshore.jetty.internal.policy.HeaderPolicy;
import java.nio.ByteBuffer;

/**
 * Writes the heads a reverse proxy sends on, copying the parsed head's bytes range by range and
 * applying the gateway's {@link HeaderPolicy}: the request for a replica (origin-form target,
 * {@code HTTP/1.1}, the fields the policy drops left out, {@code Host},
 * {@code X-Forwarded-For/-Proto/-Host} and {@code Via} added) and the response for the client
 * (status line in {@code HTTP/1.1}, hop-by-hop fields dropped, the gateway's own
 * {@code Connection} option added; the body's framing fields go along with the body). Stateless.
 */
public final class HeadWriter {
    private static final byte[] CRLF = HttpBytes.ascii("\r\n");
    private static final byte[] SPACE = {' '};
    private static final byte[] COMMA = HttpBytes.ascii(HeaderPolicy.LIST_SEPARATOR);
    private static final byte[] SLASH = {'/'};
    private static final byte[] ASTERISK = {'*'};
    private static final byte[] VERSION_11 = HttpBytes.ascii(" HTTP/1.1\r\n");
    private static final byte[] STATUS_PREFIX = HttpBytes.ascii("HTTP/1.1 ");
    private static final byte[] XFF = HttpBytes.ascii(HeaderPolicy.X_FORWARDED_FOR + ": ");
    private static final byte[] XFP = HttpBytes.ascii(HeaderPolicy.X_FORWARDED_PROTO + ": "
            + HeaderPolicy.forwardedProto(false) + "\r\n");
    private static final byte[] XFP_SECURE = HttpBytes.ascii(HeaderPolicy.X_FORWARDED_PROTO + ": "
            + HeaderPolicy.forwardedProto(true) + "\r\n");
    private static final byte[] XFH = HttpBytes.ascii(HeaderPolicy.X_FORWARDED_HOST + ": ");
    private static final byte[] VIA = HttpBytes.ascii(HeaderPolicy.VIA + ": ");
    private static final byte[] VIA_11 = HttpBytes.ascii(HeaderPolicy.via(false));
    private static final byte[] VIA_10 = HttpBytes.ascii(HeaderPolicy.via(true));
    private static final byte[] CHUNKED = HttpBytes.ascii("Transfer-Encoding: chunked\r\n");
    private static final byte[] CONTENT_LENGTH = HttpBytes.ascii("Content-Length: ");
    private static final byte[] CLOSE = HttpBytes.ascii("Connection: close\r\n");
    private static final byte[] KEEP_ALIVE = HttpBytes.ascii("Connection: keep-alive\r\n");
    private static final byte[] CONNECTION_UPGRADE = HttpBytes.ascii("Connection: Upgrade\r\n");
    private static final byte[] CONNECTION_UPGRADE_SETTINGS = HttpBytes.ascii("Connection: Upgrade, HTTP2-Settings\r\n");
    private static final byte[] HTTP2_SETTINGS = HttpBytes.ascii("http2-settings");
    private static final int STATUS_CODE_LENGTH = 3;
    private static final int ADDED_REQUEST_BYTES = 248;
    private static final int ADDED_RESPONSE_BYTES = 72;

    /** The {@code Connection} option the gateway puts on a response to its client. */
    public enum ConnectionOption {
        NONE, CLOSE, KEEP_ALIVE;

        /**
         * What a client is told: {@code close} when its connection ends after the response, else
         * {@code keep-alive} for an HTTP/1.0 client (which takes a response without it as the
         * last, RFC 9112 9.3) and nothing for an HTTP/1.1 one.
         */
        public static ConnectionOption toClient(boolean kept, boolean http10) {
            return !kept ? CLOSE : http10 ? KEEP_ALIVE : NONE;
        }
    }

    private HeadWriter() {
    }

    /**
     * An upper bound of the bytes {@link #writeRequest} writes. Every line is written with CRLF,
     * so a head whose lines end in a bare LF (which the parser accepts, RFC 9112 2.2) grows by one
     * byte per line: its fields, the start line and the blank line.
     */
    public static int requestSize(RequestHead request, byte[] hostLine, byte[] clientAddress) {
        return request.length() + lineEndings(request) + hostLine.length + clientAddress.length + ADDED_REQUEST_BYTES;
    }

    private static int lineEndings(MessageHead head) {
        return head.fieldCount() + 2;
    }

    /**
     * Writes the request for a replica into {@code out} (at its position).
     *
     * @param hostLine      {@code Host: host:port\r\n} of the replica
     * @param clientAddress the client's address, as {@code X-Forwarded-For} gets it
     * @param secure        whether the client came over TLS ({@code X-Forwarded-Proto: https})
     */
    public static void writeRequest(RequestHead request, ByteBuffer out, byte[] hostLine, byte[] clientAddress,
                                    boolean secure) {
        byte[] b = request.bytes();
        out.put(b, request.methodStart(), request.methodEnd() - request.methodStart()).put(SPACE);
        writeTarget(request, out);
        out.put(VERSION_11);
        int fields = request.fieldCount();
        for (int i = 0; i < fields; i++) {
            if (forwardsRequestField(request, i)) {
                line(request, i, out);
            }
        }
        out.put(hostLine);
        out.put(XFF);
        joined(request, HeaderName.X_FORWARDED_FOR, out);
        out.put(clientAddress).put(CRLF);
        out.put(secure ? XFP_SECURE : XFP);
        if (request.isAbsoluteForm()) {
            out.put(XFH).put(b, request.authorityStart(), request.authorityEnd() - request.authorityStart()).put(CRLF);
        } else if (request.hostField() >= 0) {
            int host = request.hostField();
            out.put(XFH).put(b, request.valueStart(host), request.valueEnd(host) - request.valueStart(host)).put(CRLF);
        }
        out.put(VIA);
        joined(request, HeaderName.VIA, out);
        out.put(request.isHttp10() ? VIA_10 : VIA_11).put(CRLF);
        if (request.isChunked()) {
            out.put(CHUNKED);
        } else if (request.contentLength() != MessageHead.NO_LENGTH) {
            contentLength(request.contentLength(), out);
        }
        if (request.isUpgrade()) {
            writeUpgrade(request, out);
        }
        out.put(CRLF);
    }

    /**
     * The fields that make the replica switch protocols: {@code Upgrade}, and for {@code h2c} the
     * {@code HTTP2-Settings} the client named in its {@code Connection} (RFC 7540 3.2: the
     * replica needs it, and as a field named by {@code Connection} it would otherwise stay behind).
     */
    private static void writeUpgrade(RequestHead request, ByteBuffer out) {
        line(request, request.upgradeField(), out);
        int settings = request.fieldIndex(HTTP2_SETTINGS);
        if (settings >= 0 && request.isNamedByConnection(settings)) {
            line(request, settings, out);
            out.put(CONNECTION_UPGRADE_SETTINGS);
        } else {
            out.put(CONNECTION_UPGRADE);
        }
    }

    /**
     * The target in origin form: an absolute-form target loses its scheme and authority and an
     * empty path becomes {@code /}, except that an {@code OPTIONS} for the whole server
     * ({@code OPTIONS http://host:port}, no path and no query) becomes {@code *}: the gateway is
     * the last proxy before the replica (RFC 9112 3.2.4).
     */
    private static void writeTarget(RequestHead request, ByteBuffer out) {
        byte[] b = request.bytes();
        if (!request.isAbsoluteForm()) {
            out.put(b, request.targetStart(), request.targetEnd() - request.targetStart());
            return;
        }
        int from = request.pathStart();
        if (from == request.targetEnd() && request.method() == Method.OPTIONS) {
            out.put(ASTERISK);
            return;
        }
        if (from == request.targetEnd() || b[from] == '?') {
            out.put(SLASH);
        }
        out.put(b, from, request.targetEnd() - from);
    }

    private static boolean forwardsRequestField(RequestHead request, int i) {
        byte name = request.name(i);
        return !HeaderName.isHopByHop(name) && !HeaderName.isRewrittenInRequests(name)
                && !request.isNamedByConnection(i);
    }

    /**
     * Writes {@code Content-Length: length}: the one length the gateway parsed, whatever the
     * message's {@code Connection} names and however many equal values it repeated (RFC 9110 8.6),
     * so that the next hop frames the body as the gateway did.
     */
    private static void contentLength(long length, ByteBuffer out) {
        out.put(CONTENT_LENGTH);
        long divisor = 1;
        while (length / divisor >= 10) {
            divisor *= 10;
        }
        for (; divisor > 0; divisor /= 10) {
            out.put((byte) ('0' + length / divisor % 10));
        }
        out.put(CRLF);
    }

    /** Writes every value of the fields named {@code name}, each followed by ", ". */
    private static void joined(MessageHead head, byte name, ByteBuffer out) {
        int fields = head.fieldCount();
        byte[] b = head.bytes();
        for (int i = 0; i < fields; i++) {
            if (head.name(i) == name && head.valueEnd(i) > head.valueStart(i)) {
                out.put(b, head.valueStart(i), head.valueEnd(i) - head.valueStart(i)).put(COMMA);
            }
        }
    }

    private static void line(MessageHead head, int i, ByteBuffer out) {
        out.put(head.bytes(), head.nameStart(i), head.valueEnd(i) - head.nameStart(i)).put(CRLF);
    }

    /**
     * An upper bound of the bytes {@link #writeResponse} and {@link #writeSwitchingProtocols}
     * write (one more per line for a head whose lines end in a bare LF, as for requests).
     */
    public static int responseSize(ResponseHead response) {
        return response.length() + lineEndings(response) + ADDED_RESPONSE_BYTES;
    }

    /**
     * Writes the response for the client into {@code out}.
     *
     * @param dechunk    the client gets no {@code Transfer-Encoding}: an HTTP/1.0 client (a chunked
     *                   body reaches it without the chunked framing)
     * @param connection the option the gateway adds
     */
    public static void writeResponse(ResponseHead response, ByteBuffer out, boolean dechunk,
                                     ConnectionOption connection) {
        writeResponse(response, out, dechunk, connection, null);
    }

    /**
     * The same, adding {@code extraLine} (a whole field line, CRLF included, that the gateway sets:
     * a sticky cookie) unless it is null; {@code out} must have room for it beyond
     * {@link #responseSize}.
     */
    public static void writeResponse(ResponseHead response, ByteBuffer out, boolean dechunk,
                                     ConnectionOption connection, byte[] extraLine) {
        statusLine(response, out);
        int fields = response.fieldCount();
        for (int i = 0; i < fields; i++) {
            if (forwardsResponseField(response, i, dechunk)) {
                line(response, i, out);
            }
        }
        if (carriesLength(response)) {
            contentLength(response.contentLength(), out);
        }
        if (extraLine != null) {
            out.put(extraLine);
        }
        if (connection == ConnectionOption.CLOSE) {
            out.put(CLOSE);
        } else if (connection == ConnectionOption.KEEP_ALIVE) {
            out.put(KEEP_ALIVE);
        }
        out.put(CRLF);
    }

    /**
     * Writes a replica's {@code 101 Switching Protocols} for the client: like
     * {@link #writeResponse}, but the {@code Upgrade} field goes along and
     * {@code Connection: Upgrade} is added (the two connections become one tunnel).
     */
    public static void writeSwitchingProtocols(ResponseHead response, ByteBuffer out) {
        statusLine(response, out);
        int fields = response.fieldCount();
        for (int i = 0; i < fields; i++) {
            if (i == response.upgradeField() || forwardsResponseField(response, i, false)) {
                line(response, i, out);
            }
        }
        out.put(CONNECTION_UPGRADE).put(CRLF);
    }

    /**
     * {@code HTTP/1.1}, the replica's status code and reason phrase, CRLF; with the space after
     * the code that RFC 9112 4 requires even without a reason phrase, which a replica may leave
     * out along with that space.
     */
    private static void statusLine(ResponseHead response, ByteBuffer out) {
        int start = response.statusStart();
        int end = response.statusLineEnd();
        out.put(STATUS_PREFIX).put(response.bytes(), start, end - start);
        if (end - start == STATUS_CODE_LENGTH) {
            out.put(SPACE);
        }
        out.put(CRLF);
    }

    private static boolean forwardsResponseField(ResponseHead response, int i, boolean dechunk) {
        byte name = response.name(i);
        return switch (name) {
            // the body keeps its framing, so its coding goes along (not to an HTTP/1.0 client, and
            // not on a status that has no body: RFC 9112 6.1)
            case HeaderName.TRANSFER_ENCODING -> !dechunk && !forbidsFraming(response);
            case HeaderName.CONTENT_LENGTH -> false; // written once by carriesLength
            default -> !HeaderName.isHopByHop(name) && !response.isNamedByConnection(i);
        };
    }

    /** Whether the client gets the replica's {@code Content-Length} (on 304 and HEAD answers too, as sent). */
    private static boolean carriesLength(ResponseHead response) {
        return response.contentLength() != MessageHead.NO_LENGTH && !response.hasTransferEncoding()
                && !forbidsFraming(response);
    }

    /** 1xx and 204 answers must carry neither {@code Content-Length} nor {@code Transfer-Encoding} (RFC 9110 8.6). */
    private static boolean forbidsFraming(ResponseHead response) {
        return response.status() < 200 || response.status() == 204;
    }
}
