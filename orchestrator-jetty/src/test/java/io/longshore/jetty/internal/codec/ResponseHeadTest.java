package io.longshore.jetty.internal.codec;

import static io.longshore.jetty.internal.codec.Heads.response;
import static io.longshore.jetty.internal.codec.Heads.responseResult;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResponseHeadTest {

    @Test
    void readsStatusAndFramingOfATypicalResponse() {
        ResponseHead head = response("HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Length: 41\r\n"
                + "Connection: keep-alive\r\n\r\n");

        assertThat(head.status()).isEqualTo(200);
        assertThat(head.text(head.statusStart(), head.statusLineEnd())).isEqualTo("200 OK");
        assertThat(head.framing(false)).isEqualTo(Framing.FIXED);
        assertThat(head.contentLength()).isEqualTo(41);
        assertThat(head.allowsReuse()).isTrue();
    }

    @Test
    void delimitsBodiesAsRfc9112Section6Says() {
        assertThat(response("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n").framing(true)).isEqualTo(Framing.NONE);
        assertThat(response("HTTP/1.1 204 No Content\r\n\r\n").framing(false)).isEqualTo(Framing.NONE);
        assertThat(response("HTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n").framing(false))
                .isEqualTo(Framing.NONE);
        assertThat(response("HTTP/1.1 103 Early Hints\r\nLink: </s>\r\n\r\n").isInterim()).isTrue();
        assertThat(response("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 9\r\n\r\n")
                .framing(false)).isEqualTo(Framing.CHUNKED);
        assertThat(response("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n").framing(false))
                .isEqualTo(Framing.UNTIL_CLOSE);
        assertThat(response("HTTP/1.1 200 OK\r\n\r\n").framing(false)).isEqualTo(Framing.UNTIL_CLOSE);
    }

    @Test
    void allowsReuseUnlessTheReplicaCloses() {
        assertThat(response("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n").allowsReuse()).isFalse();
        assertThat(response("HTTP/1.0 200 OK\r\n\r\n").allowsReuse()).isFalse();
        assertThat(response("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\n\r\n").allowsReuse()).isTrue();
        assertThat(response("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n")
                .allowsReuse()).as("faulty framing (RFC 9112 6.1)").isFalse();
        assertThat(response("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 9\r\n\r\n")
                .allowsReuse()).as("both framings (RFC 9112 6.3)").isFalse();
        assertThat(response("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n").allowsReuse()).isTrue();
    }

    @Test
    void acceptsAStatusLineWithoutReason() {
        ResponseHead head = response("HTTP/1.1 404\r\nContent-Length: 0\r\n\r\n");

        assertThat(head.status()).isEqualTo(404);
        assertThat(head.text(head.statusStart(), head.statusLineEnd())).isEqualTo("404");
    }

    /** RFC 9110 15: "All valid status codes are within the range of 100 to 599, inclusive". */
    @ParameterizedTest
    @ValueSource(ints = {100, 599})
    void acceptsTheLowestAndHighestValidStatus(int status) {
        assertThat(response("HTTP/1.1 " + status + " X\r\n\r\n").status()).isEqualTo(status);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "HTTP/2 200 OK\r\n\r\n",
            "HTTP/1.1 20 OK\r\n\r\n",
            "HTTP/1.1 099 Low\r\n\r\n",
            "HTTP/1.1 600 High\r\n\r\n",
            "HTTP/1.1 999 High\r\n\r\n",
            "HTTP/1.1 200OK\r\n\r\n",
            "ICY 200 OK\r\n\r\n",
            "HTTP/1.1 200 OK\r\nBad Header\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
            "lah-di-dah\r\n\r\n",
    })
    void rejectsMalformedResponsesWith502(String text) {
        assertThat(responseResult(text)).isEqualTo(-502);
    }

    @Test
    void rejectsAHeadOverTheLimitWith502() {
        ResponseHead small = new ResponseHead(64);

        assertThat(small.parse(Heads.buffer("HTTP/1.1 200 OK\r\nX: " + "v".repeat(100) + "\r\n\r\n"))).isEqualTo(-502);
    }
}
