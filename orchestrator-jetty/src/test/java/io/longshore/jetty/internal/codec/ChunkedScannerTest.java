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
    void followsTheBodyAcrossEverySplitOfItsBytesReleasingNoPartOfAFramingLine() {
        ByteBuffer buffer = Heads.buffer(BODY);
        int sizeLine = BODY.indexOf("A;");
        int sizeLineEnd = BODY.indexOf("0123456789");
        for (int split = 0; split <= BODY.length(); split++) {
            ChunkedScanner scanner = new ChunkedScanner();

            int first = scanner.scan(buffer, 0, split);
            int second = scanner.scan(buffer, first, BODY.length());

            assertThat(first).as("split %d", split).isLessThanOrEqualTo(split);
            if (split > sizeLine && split < sizeLineEnd) {
                assertThat(first).as("split %d inside the size line", split).isEqualTo(sizeLine);
            }
            assertThat(second).as("split %d", split).isEqualTo(BODY.length());
            assertThat(scanner.isDone()).as("split %d", split).isTrue();
            assertThat(scanner.dataBytes()).as("split %d", split).isEqualTo(15);
        }
    }

    @Test
    void holdsBackAChunkSizeLineUntilItIsWholeAndChecksItsBytesOnlyOnce() {
        ChunkedScanner scanner = new ChunkedScanner();
        String body = "5\r\nhello\r\n1;name=\"a b\"\r\nx\r\n0\r\n\r\n";
        ByteBuffer buffer = Heads.buffer(body);
        int lineStart = body.indexOf("1;");

        assertThat(scanner.scan(buffer, 0, lineStart + 4)).isEqualTo(lineStart);
        assertThat(scanner.scan(buffer, lineStart, lineStart + 10)).isEqualTo(lineStart);
        assertThat(scanner.scan(buffer, lineStart, body.length())).isEqualTo(body.length());
        assertThat(scanner.isDone()).isTrue();
    }

    @Test
    void aStrictScannerRefusesBareLineFeedsThatALenientOneTakes() {
        ByteBuffer buffer = Heads.buffer("3\nabc\n0\n\n");

        assertThat(new ChunkedScanner().scan(buffer, 0, buffer.limit())).isEqualTo(ChunkedScanner.MALFORMED);
        ChunkedScanner lenient = ChunkedScanner.lenient();
        assertThat(lenient.scan(buffer, 0, buffer.limit())).isEqualTo(buffer.limit());
        assertThat(lenient.isDone()).isTrue();
    }

    @Test
    void acceptsAnEmptyBody() {
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
    @ValueSource(strings = {"1;a\r\nx\r\n0\r\n\r\n", "1;a=b\r\nx\r\n0\r\n\r\n", "1;a=\"b c;\\\"=\"\r\nx\r\n0\r\n\r\n",
            "1;a;b=c;d=\"\"\r\nx\r\n0\r\n\r\n", "0001\r\nx\r\n0;last\r\n\r\n", "1\r\nx\r\n00\r\nT: v\r\n\r\n"})
    void acceptsChunkExtensionsAsTheGrammarWritesThem(String body) {
        ChunkedScanner scanner = new ChunkedScanner();
        ByteBuffer buffer = Heads.buffer(body);

        assertThat(scanner.scan(buffer, 0, buffer.limit())).isEqualTo(body.length());
        assertThat(scanner.isDone()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"\r\nabc", "g\r\n", "5\r\nhelloX\r\n", "1234567890abcdef0\r\n", "5\r\nhello\r\r", "-1\r\n",
            "0\r\nBad trailer\r\n\r\n", "3\r\nabc\r\n0\r\n\u0000\r\n",
            // request-smuggling vectors: chunk-size lines a lenient parser reads one way and a strict one another
            "1 \r\nx\r\n0\r\n\r\n", "1\t\r\nx\r\n0\r\n\r\n", "1 ;a\r\nx\r\n", "1x\r\nx\r\n", "1 x\r\nx\r\n",
            "1;\r\nx\r\n", "1;=v\r\nx\r\n", "1; a\r\nx\r\n", "1;a =b\r\nx\r\n", "1;a=\r\nx\r\n", "1;a b\r\nx\r\n",
            "1;a=\"b\r\nx\r\n", "1;a=\"b\\\r\nx\r\n", "1;a=\"b\"c\r\nx\r\n", " 1\r\nx\r\n", "0x1\r\nx\r\n", "+1\r\nx\r\n",
            "1\nx\r\n", "1\rx\r\n", "1\r\nx\n0\r\n\r\n", "10000000000000000\r\n", "1\r\nxx\r\n0\r\n\r\n",
            "0\r\n\r\r\n", "0\r\nT : v\r\n\r\n"})
    void rejectsMalformedFraming(String body) {
        ChunkedScanner scanner = new ChunkedScanner();
        ByteBuffer buffer = Heads.buffer(body);

        assertThat(scanner.scan(buffer, 0, buffer.limit())).isEqualTo(ChunkedScanner.MALFORMED);
    }

    @Test
    void refusesAFramingLineLongerThanTheLimitBeforeItEnds() {
        ChunkedScanner scanner = new ChunkedScanner();
        String line = "1;a=" + "b".repeat(ChunkedScanner.MAX_LINE);
        ByteBuffer buffer = Heads.buffer(line);

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
