package io.longshore.jetty.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Hostile input never breaks the codec: thousands of mutated requests, responses and chunked
 * bodies (bytes flipped, inserted, deleted, cut) each get a defined answer, never an
 * exception, and a head found complete lies within the bytes given. Seeded, so a failure
 * reproduces.
 */
class CodecRobustnessTest {
    private static final Set<Integer> REQUEST_ERRORS = Set.of(-400, -414, -417, -431, -501, -505);
    private static final String[] REQUESTS = {
        "GET /api/v1/acts?x=1 HTTP/1.1\r\nHost: gw:8080\r\nAccept: */*\r\n\r\n",
        "POST /up HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nConnection: keep-alive, X-A\r\nX-A: 1\r\n\r\nhello",
        "PUT /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
        "GET http://example.com/p HTTP/1.0\r\nConnection: keep-alive\r\nVia: 1.1 a\r\n\r\n",
    };
    private static final String[] RESPONSES = {
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nok",
        "HTTP/1.1 204 No Content\r\nX: y\r\n\r\n",
        "HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 9\r\n\r\n",
    };
    private static final byte[] INTERESTING = " \t\r\n:;,.%/0123456789abcdefABCDEF\u0000\u007f\u00ff".getBytes(StandardCharsets.ISO_8859_1);

    private final Random random = new Random(20261202);

    private byte[] mutate(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits; e++) {
            int at = random.nextInt(bytes.length);
            byte b = random.nextBoolean() ? INTERESTING[random.nextInt(INTERESTING.length)] : (byte) random.nextInt(256);
            switch (random.nextInt(4)) {
                case 0 -> bytes[at] = b;
                case 1 -> bytes = insert(bytes, at, b);
                case 2 -> bytes = delete(bytes, at);
                default -> bytes = java.util.Arrays.copyOf(bytes, Math.max(1, at));
            }
        }
        return bytes;
    }

    private static byte[] insert(byte[] bytes, int at, byte b) {
        byte[] out = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, out, 0, at);
        out[at] = b;
        System.arraycopy(bytes, at, out, at + 1, bytes.length - at);
        return out;
    }

    private static byte[] delete(byte[] bytes, int at) {
        if (bytes.length < 2) {
            return bytes;
        }
        byte[] out = new byte[bytes.length - 1];
        System.arraycopy(bytes, 0, out, 0, at);
        System.arraycopy(bytes, at + 1, out, at, bytes.length - at - 1);
        return out;
    }

    private static ByteBuffer direct(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(bytes.length);
        buffer.put(bytes).flip();
        return buffer;
    }

    @Test
    void mutatedRequestsGetADefinedAnswer() {
        RequestHead head = new RequestHead(1024);
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = mutate(REQUESTS[i % REQUESTS.length]);
            int result = head.parse(direct(bytes));

            assertThat(result == Parse.NEED_MORE || result > 0 || REQUEST_ERRORS.contains(result))
                    .as("result %d for %s", result, new String(bytes, StandardCharsets.ISO_8859_1)).isTrue();
            if (result > 0) {
                assertThat(result).isLessThanOrEqualTo(bytes.length);
                assertThat(head.pathStart()).isBetween(0, head.pathEnd());
                for (int f = 0; f < head.fieldCount(); f++) {
                    assertThat(head.valueEnd(f)).isLessThanOrEqualTo(result);
                }
                assertThat(head.isChunked() && head.contentLength() != MessageHead.NO_LENGTH).isFalse();
            }
        }
    }

    @Test
    void mutatedResponsesGetADefinedAnswer() {
        ResponseHead head = new ResponseHead(1024);
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = mutate(RESPONSES[i % RESPONSES.length]);
            int result = head.parse(direct(bytes));

            assertThat(result == Parse.NEED_MORE || result > 0 || result == -502)
                    .as("result %d for %s", result, new String(bytes, StandardCharsets.ISO_8859_1)).isTrue();
            if (result > 0) {
                assertThat(result).isLessThanOrEqualTo(bytes.length);
                assertThat(head.status()).isBetween(100, 999);
                assertThat(head.framing(false)).isNotNull();
            }
        }
    }

    @Test
    void mutatedChunkedBodiesAreFollowedOrRefusedFedInAnyPieces() {
        String body = "5\r\nhello\r\n1A;x=y\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nT: v\r\n\r\n";
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = mutate(body);
            ByteBuffer buffer = direct(bytes);
            ChunkedScanner scanner = new ChunkedScanner();
            int at = 0;
            int result = 0;
            while (at < bytes.length && !scanner.isDone()) {
                int to = Math.min(bytes.length, at + 1 + random.nextInt(8));
                result = scanner.scan(buffer, at, to);
                if (result == ChunkedScanner.MALFORMED) {
                    break;
                }
                assertThat(result).isBetween(at, to);
                if (to == bytes.length && result < to && !scanner.isDone()) {
                    break; // the body stops inside a framing line, which is held back
                }
                at = result;
            }
            if (scanner.isDone()) {
                assertThat(scanner.dataBytes()).isLessThanOrEqualTo(bytes.length);
            }
        }
    }
}
