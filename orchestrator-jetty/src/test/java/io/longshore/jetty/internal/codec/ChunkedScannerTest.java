package io.longshore.jetty.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChunkedScannerTest {
    private static final String BODY = "5\r\nhello\r\nA;name=value\r\n0123456789\r\n0\r\nX-Trailer: t\r\n\r\n";

    @Test
    void findsTheEndOfABodyAndCountsItsDataBytes() {
        ChunkedScanner scanner = new ChunkedScanner();
        ByteBuffer buffer = Heads.buffer(BODY + "GET / HTTP/1.1");

        int end = scanner.scan(buffer, 0, buffer.limit());

        assertThat(end).isEqualTo(BODY.length());
        assertThat(scanner.isDone()).isTrue();
        assertThat(scanner.dataBytes()).isEqualTo(15);
    }

    @Test
    void followsTheBodyAcrossEverySplitOfItsBytes() {
        ByteBuffer buffer = Heads.buffer(BODY);
        for (int split = 0; split <= BODY.length(); split++) {
            ChunkedScanner scanner = new ChunkedScanner();

            int first = scanner.scan(buffer, 0, split);
            int second = scanner.scan(buffer, split, BODY.length());

            assertThat(first).as("split %d", split).isEqualTo(split);
            assertThat(second).as("split %d", split).isEqualTo(BODY.length());
            assertThat(scanner.isDone()).as("split %d", split).isTrue();
        }
    }

    @Test
    void acceptsBareLineFeedsAndAnEmptyBody() {
        ChunkedScanner scanner = new ChunkedScanner();
        ByteBuffer buffer = Heads.buffer("3\nabc\n0\n\n");

        assertThat(scanner.scan(buffer, 0, buffer.limit())).isEqualTo(buffer.limit());
        assertThat(scanner.isDone()).isTrue();
        ChunkedScanner empty = new ChunkedScanner();
        assertThat(empty.scan(Heads.buffer("0\r\n\r\n"), 0, 5)).isEqualTo(5);
        assertThat(empty.isDone()).isTrue();
    }

    @Test
    void isNotDoneWhileTheBodyGoesOn() {
        ChunkedScanner scanner = new ChunkedScanner();
        ByteBuffer buffer = Heads.buffer("10\r\n0123456789");

        assertThat(scanner.scan(buffer, 0, buffer.limit())).isEqualTo(buffer.limit());
        assertThat(scanner.isDone()).isFalse();
        assertThat(scanner.dataBytes()).isEqualTo(16);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\r\nabc", "g\r\n", "5\r\nhelloX\r\n", "1234567890abcdef0\r\n", "5\r\nhello\r\r", "-1\r\n",
            "0\r\nBad trailer\r\n\r\n", "3\r\nabc\r\n0\r\n\u0000\r\n"})
    void rejectsMalformedFraming(String body) {
        ChunkedScanner scanner = new ChunkedScanner();
        ByteBuffer buffer = Heads.buffer(body);

        assertThat(scanner.scan(buffer, 0, buffer.limit())).isEqualTo(ChunkedScanner.MALFORMED);
    }

    @Test
    void decodesChunksInPlaceForAClientThatCannotTakeThem() {
        ChunkedScanner scanner = new ChunkedScanner();
        ByteBuffer buffer = Heads.buffer(BODY);

        int data = scanner.decode(buffer);

        assertThat(data).isEqualTo(15);
        assertThat(scanner.consumed()).isEqualTo(BODY.length());
        byte[] decoded = new byte[data];
        buffer.get(buffer.position(), decoded);
        assertThat(new String(decoded, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("hello0123456789");
    }

    @Test
    void startsOverAfterReset() {
        ChunkedScanner scanner = new ChunkedScanner();
        scanner.scan(Heads.buffer("0\r\n\r\n"), 0, 5);

        scanner.reset();

        assertThat(scanner.isDone()).isFalse();
        assertThat(scanner.dataBytes()).isZero();
    }
}
