package io.longshore.benchmarks.websocket;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The little of RFC 6455 the WebSocket echo benchmark needs: the handshake's accept key and
 * the framing of single-frame messages (no fragmentation, no extensions). Stateless.
 */
final class Frames {
    static final int OP_TEXT = 0x1;
    static final int OP_CLOSE = 0x8;
    static final int OP_PING = 0x9;
    static final int OP_PONG = 0xA;
    /** A frame's header is at most 2 + 8 (length) + 4 (mask) bytes. */
    static final int MAX_HEADER = 14;
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private Frames() {
    }

    /** The {@code Sec-WebSocket-Accept} for a client's {@code Sec-WebSocket-Key}. */
    static String accept(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    /**
     * Writes one final frame's header into {@code out}: {@code opcode}, {@code length} payload
     * bytes, and when {@code masked} a zero masking key (a client must mask; a zero key leaves
     * the payload as it is, which the receiver's unmasking undoes the same way).
     */
    static void header(ByteBuffer out, int opcode, int length, boolean masked) {
        out.put((byte) (0x80 | opcode));
        int mask = masked ? 0x80 : 0;
        if (length < 126) {
            out.put((byte) (mask | length));
        } else if (length < 65_536) {
            out.put((byte) (mask | 126));
            out.putShort((short) length);
        } else {
            out.put((byte) (mask | 127));
            out.putLong(length);
        }
        if (masked) {
            out.putInt(0);
        }
    }

    /**
     * The header length of the frame starting at {@code in}'s position, or -1 while the buffer
     * does not hold all of it. Does not move the position.
     */
    static int headerLength(ByteBuffer in) {
        if (in.remaining() < 2) {
            return -1;
        }
        int second = in.get(in.position() + 1) & 0xFF;
        int length = 2 + ((second & 0x80) != 0 ? 4 : 0);
        int code = second & 0x7F;
        length += code == 126 ? 2 : code == 127 ? 8 : 0;
        return in.remaining() >= length ? length : -1;
    }

    /** The payload length of the frame whose whole header is at {@code in}'s position. */
    static long payloadLength(ByteBuffer in) {
        int p = in.position();
        int code = in.get(p + 1) & 0x7F;
        return code == 126 ? in.getShort(p + 2) & 0xFFFF : code == 127 ? in.getLong(p + 2) : code;
    }

    static int opcode(ByteBuffer in) {
        return in.get(in.position()) & 0x0F;
    }

    /** The masking key of the frame whose whole header is at {@code in}'s position, 0 when unmasked. */
    static int maskKey(ByteBuffer in, int headerLength) {
        boolean masked = (in.get(in.position() + 1) & 0x80) != 0;
        return masked ? in.getInt(in.position() + headerLength - 4) : 0;
    }
}
