package io.longshore.benchmarks.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FramesTest {
    @Test
    void theAcceptKeyIsTheOneRfc6455Shows() {
        assertThat(Frames.accept("dGhlIHNhbXBsZSBub25jZQ==")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 5, 125, 126, 65_535, 65_536, 131_072})
    void aHeaderReadsBackAsWritten(int length) {
        for (boolean masked : new boolean[] {false, true}) {
            ByteBuffer buffer = ByteBuffer.allocate(Frames.MAX_HEADER);
            Frames.header(buffer, Frames.OP_TEXT, length, masked);
            buffer.flip();

            int header = Frames.headerLength(buffer);
            assertThat(header).isEqualTo(buffer.remaining());
            assertThat(Frames.payloadLength(buffer)).isEqualTo(length);
            assertThat(Frames.opcode(buffer)).isEqualTo(Frames.OP_TEXT);
            assertThat(Frames.maskKey(buffer, header)).isZero();
            assertThat(Frames.headerLength(buffer.limit(header - 1))).isEqualTo(-1);
        }
    }

    @Test
    void aMaskingKeyIsReadFromTheHeader() {
        ByteBuffer frame = ByteBuffer.wrap(new byte[] {(byte) 0x81, (byte) 0x85, 0x37, (byte) 0xfa, 0x21, 0x3d});

        assertThat(Frames.headerLength(frame)).isEqualTo(6);
        assertThat(Frames.maskKey(frame, 6)).isEqualTo(0x37fa213d);
    }
}
