package io.longshore.jetty.internal.codec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Test helpers: heads parsed from strings. */
final class Heads {
    private Heads() {
    }

    static ByteBuffer buffer(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer buffer = ByteBuffer.allocateDirect(bytes.length + 16);
        buffer.put(bytes).flip();
        return buffer;
    }

    static RequestHead request(String text) {
        RequestHead head = new RequestHead(8192);
        int result = head.parse(buffer(text));
        if (!Parse.isComplete(result)) {
            throw new AssertionError("expected a complete head, got " + result + " for " + text);
        }
        return head;
    }

    static int requestResult(String text) {
        return new RequestHead(8192).parse(buffer(text));
    }

    static ResponseHead response(String text) {
        ResponseHead head = new ResponseHead(8192);
        int result = head.parse(buffer(text));
        if (!Parse.isComplete(result)) {
            throw new AssertionError("expected a complete head, got " + result + " for " + text);
        }
        return head;
    }

    static int responseResult(String text) {
        return new ResponseHead(8192).parse(buffer(text));
    }

    static String text(ByteBuffer written) {
        ByteBuffer copy = written.duplicate().flip();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
