package io.longshore.jetty.internal.codec;

import static io.longshore.jetty.internal.codec.Heads.request;
import static io.longshore.jetty.internal.codec.Heads.response;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class HeadWriterTest {
    private static final byte[] HOST = HttpBytes.ascii("Host: 127.0.0.1:8001\r\n");
    private static final byte[] CLIENT = HttpBytes.ascii("10.1.2.3");

    private static String forwarded(String text) {
        RequestHead head = request(text);
        ByteBuffer out = ByteBuffer.allocate(HeadWriter.requestSize(head, HOST, CLIENT));
        HeadWriter.writeRequest(head, out, HOST, CLIENT, false);
        return Heads.text(out);
    }

    private static String answered(String text, boolean dechunk, HeadWriter.ConnectionOption option) {
        ResponseHead head = response(text);
        ByteBuffer out = ByteBuffer.allocate(HeadWriter.responseSize(head));
        HeadWriter.writeResponse(head, out, dechunk, option);
        return Heads.text(out);
    }

    @Test
    void rewritesARequestForTheReplica() {
        String out = forwarded("GET /a?b=1 HTTP/1.1\r\nhost: gw:8080\r\nAccept: */*\r\nX-Multi: 1\r\nX-Multi: 2\r\n\r\n");

        assertThat(out).isEqualTo("GET /a?b=1 HTTP/1.1\r\nAccept: */*\r\nX-Multi: 1\r\nX-Multi: 2\r\n"
                + "Host: 127.0.0.1:8001\r\nX-Forwarded-For: 10.1.2.3\r\nX-Forwarded-Proto: http\r\n"
                + "X-Forwarded-Host: gw:8080\r\nVia: 1.1 longshore\r\n\r\n");
    }

    @Test
    void sendsAnAbsoluteFormTargetInOriginFormAndAnOptionsForTheWholeServerAsAnAsterisk() {
        assertThat(forwarded("OPTIONS http://h:8080 HTTP/1.1\r\nHost: h:8080\r\n\r\n"))
                .startsWith("OPTIONS * HTTP/1.1\r\n");
        assertThat(forwarded("OPTIONS http://h:8080/ HTTP/1.1\r\nHost: h:8080\r\n\r\n"))
                .startsWith("OPTIONS / HTTP/1.1\r\n");
        assertThat(forwarded("OPTIONS http://h:8080?q HTTP/1.1\r\nHost: h:8080\r\n\r\n"))
                .startsWith("OPTIONS /?q HTTP/1.1\r\n");
        assertThat(forwarded("GET http://h:8080 HTTP/1.1\r\nHost: h:8080\r\n\r\n")).startsWith("GET / HTTP/1.1\r\n");
    }

    @Test
    void dropsHopByHopFieldsAndTheOnesConnectionNames() {
        String out = forwarded("POST /p HTTP/1.1\r\nHost: h\r\nConnection: keep-alive, X-Secret\r\nX-Secret: s\r\n"
                + "Keep-Alive: timeout=5\r\nProxy-Authorization: Basic x\r\nProxy-Foo: bar\r\nTE: trailers\r\n"
                + "Trailer: X-T\r\nUpgrade: h2c\r\nExpect: 100-continue\r\nContent-Length: 3\r\nX-Kept: yes\r\n\r\n");

        assertThat(out).startsWith("POST /p HTTP/1.1\r\nTrailer: X-T\r\nX-Kept: yes\r\nHost: 127.0.0.1:8001\r\n")
                .endsWith("Via: 1.1 longshore\r\nContent-Length: 3\r\n\r\n")
                .doesNotContainIgnoringCase("secret").doesNotContainIgnoringCase("keep-alive")
                .doesNotContainIgnoringCase("proxy-").doesNotContain("TE:").contains("Trailer: X-T\r\n")
                .doesNotContain("Upgrade").doesNotContain("Expect");
    }

    @Test
    void appendsToForwardingChainsAlreadyThere() {
        String out = forwarded("GET / HTTP/1.1\r\nHost: h\r\nX-Forwarded-For: 1.1.1.1\r\nVia: 1.1 edge\r\n"
                + "X-Forwarded-For: 2.2.2.2\r\nX-Forwarded-Proto: https\r\n\r\n");

        assertThat(out).contains("X-Forwarded-For: 1.1.1.1, 2.2.2.2, 10.1.2.3\r\n")
                .contains("Via: 1.1 edge, 1.1 longshore\r\n")
                .contains("X-Forwarded-Proto: http\r\n").doesNotContain("https");
    }

    @Test
    void sendsOriginFormHttp11ForAnHttp10ClientAndMarksItsVersionInVia() {
        assertThat(forwarded("GET /old HTTP/1.0\r\nHost: legacy\r\n\r\n"))
                .startsWith("GET /old HTTP/1.1\r\n").contains("X-Forwarded-Host: legacy\r\n")
                .contains("Via: 1.0 longshore\r\n");
        assertThat(forwarded("GET http://example.com?q=1 HTTP/1.1\r\nHost: other\r\n\r\n"))
                .startsWith("GET /?q=1 HTTP/1.1\r\n").contains("X-Forwarded-Host: example.com\r\n");
    }

    @Test
    void keepsChunkedFramingOfTheRequestBody() {
        assertThat(forwarded("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"))
                .endsWith("Transfer-Encoding: chunked\r\n\r\n");
    }

    @Test
    void staysWithinItsSizeBound() {
        RequestHead head = request("GET / HTTP/1.1\r\nHost: h\r\nVia: a\r\nVia: b\r\nX-Forwarded-For: c\r\n\r\n");
        ByteBuffer out = ByteBuffer.allocate(HeadWriter.requestSize(head, HOST, CLIENT));

        HeadWriter.writeRequest(head, out, HOST, CLIENT, false);

        assertThat(out.remaining()).isPositive();
    }

    @Test
    void rewritesAResponseForTheClient() {
        String out = answered("HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Length: 2\r\nConnection: keep-alive\r\n"
                + "Keep-Alive: timeout=5\r\nProxy-Authenticate: Basic\r\nUpgrade: h2c\r\nX-Kept: yes\r\n\r\n",
                false, HeadWriter.ConnectionOption.NONE);

        assertThat(out).isEqualTo("HTTP/1.1 200 OK\r\nServer: nginx\r\nX-Kept: yes\r\nContent-Length: 2\r\n\r\n");
    }

    @Test
    void answersInHttp11WithTheGatewaysOwnConnectionOption() {
        assertThat(answered("HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n", false,
                HeadWriter.ConnectionOption.CLOSE))
                .isEqualTo("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        assertThat(answered("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", false,
                HeadWriter.ConnectionOption.KEEP_ALIVE)).contains("Connection: keep-alive\r\n");
    }

    @Test
    void keepsTheTransferCodingForAnHttp11ClientAndDropsItWhenDechunking() {
        String chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 9\r\n\r\n";

        assertThat(answered(chunked, false, HeadWriter.ConnectionOption.NONE))
                .isEqualTo("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
        assertThat(answered(chunked, true, HeadWriter.ConnectionOption.CLOSE))
                .isEqualTo("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n");
    }

    @Test
    void anUpgradeRequestKeepsItsUpgradeAndSaysConnectionUpgrade() {
        String out = forwarded("GET /ws HTTP/1.1\r\nHost: h\r\nConnection: keep-alive, Upgrade\r\nUpgrade: websocket\r\n"
                + "Sec-WebSocket-Key: k\r\n\r\n");

        assertThat(out).startsWith("GET /ws HTTP/1.1\r\nSec-WebSocket-Key: k\r\n")
                .endsWith("Via: 1.1 longshore\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n");
    }

    @Test
    void anH2cUpgradeKeepsItsHttp2SettingsAndNamesItInConnection() {
        String out = forwarded("GET / HTTP/1.1\r\nHost: h\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
                + "HTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n");

        assertThat(out).endsWith("Via: 1.1 longshore\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n"
                + "Connection: Upgrade, HTTP2-Settings\r\n\r\n");
    }

    @Test
    void http2SettingsStaysBehindWhenTheRequestDoesNotUpgrade() {
        String out = forwarded("GET / HTTP/1.1\r\nHost: h\r\nConnection: HTTP2-Settings\r\n"
                + "HTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n");

        assertThat(out).doesNotContain("HTTP2-Settings");
    }

    @Test
    void headsWhoseLinesEndInABareLineFeedFitTheBoundWhenWrittenWithCrlf() {
        // each bare LF becomes CRLF: a head of thousands of short lines grows by thousands of bytes
        StringBuilder request = new StringBuilder("GET / HTTP/1.1\nHost: h\n");
        StringBuilder response = new StringBuilder("HTTP/1.1 200 OK\n");
        while (request.length() < 7_800) {
            request.append("a:\n");
            response.append("a:\n");
        }
        String out = forwarded(request.append('\n').toString());
        String answer = answered(response.append("Content-Length: 0\n\n").toString(), false,
                HeadWriter.ConnectionOption.NONE);

        assertThat(out).startsWith("GET / HTTP/1.1\r\na:\r\n").endsWith("Via: 1.1 longshore\r\n\r\n")
                .doesNotContain("a:\na:");
        assertThat(answer).startsWith("HTTP/1.1 200 OK\r\na:\r\n").endsWith("Content-Length: 0\r\n\r\n");

        ResponseHead switching = Heads.response(response.toString().replace("200 OK", "101 Switching Protocols")
                .replace("Content-Length: 0\n", "Upgrade: websocket\nConnection: upgrade\n"));
        ByteBuffer switched = ByteBuffer.allocate(HeadWriter.responseSize(switching));
        HeadWriter.writeSwitchingProtocols(switching, switched);
        assertThat(Heads.text(switched)).endsWith("Upgrade: websocket\r\nConnection: Upgrade\r\n\r\n");
    }

    @Test
    void anUpgradeFieldWithoutConnectionUpgradeStaysBehind() {
        String out = forwarded("GET /ws HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\n\r\n");

        assertThat(out).doesNotContain("Upgrade");
    }

    @Test
    void aSecureClientsRequestSaysHttps() {
        RequestHead head = request("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
        ByteBuffer out = ByteBuffer.allocate(HeadWriter.requestSize(head, HOST, CLIENT));
        HeadWriter.writeRequest(head, out, HOST, CLIENT, true);

        assertThat(Heads.text(out)).contains("X-Forwarded-Proto: https\r\n");
    }

    /** RFC 9112 4: {@code status-line = HTTP-version SP status-code SP [ reason-phrase ]}, the second SP too. */
    @Test
    void aStatusLineWithoutReasonPhraseGoesOnWithTheSpaceAfterItsCode() {
        assertThat(answered("HTTP/1.1 404\r\nContent-Length: 0\r\n\r\n", false, HeadWriter.ConnectionOption.NONE))
                .isEqualTo("HTTP/1.1 404 \r\nContent-Length: 0\r\n\r\n");
        assertThat(answered("HTTP/1.1 204 \r\n\r\n", false, HeadWriter.ConnectionOption.NONE))
                .isEqualTo("HTTP/1.1 204 \r\n\r\n");
        ResponseHead head = response("HTTP/1.1 101\r\nUpgrade: websocket\r\nConnection: upgrade\r\n\r\n");
        ByteBuffer out = ByteBuffer.allocate(HeadWriter.responseSize(head));
        HeadWriter.writeSwitchingProtocols(head, out);
        assertThat(Heads.text(out)).startsWith("HTTP/1.1 101 \r\nUpgrade: websocket\r\n");
    }

    @Test
    void aSwitchKeepsTheReplicasUpgradeAndSaysConnectionUpgrade() {
        ResponseHead head = response("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: upgrade\r\n"
                + "Sec-WebSocket-Accept: a\r\n\r\n");
        ByteBuffer out = ByteBuffer.allocate(HeadWriter.responseSize(head));
        HeadWriter.writeSwitchingProtocols(head, out);

        assertThat(Heads.text(out)).isEqualTo("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                + "Sec-WebSocket-Accept: a\r\nConnection: Upgrade\r\n\r\n");
    }

    @Test
    void theBodysLengthGoesOnWhateverConnectionNames() {
        // a client that names Content-Length in Connection must not strip the framing the gateway used:
        // the replica would take the body for a second request (request smuggling)
        String out = forwarded("POST / HTTP/1.1\r\nHost: x\r\nConnection: Content-Length\r\nContent-Length: 35\r\n\r\n");
        String http10 = forwarded("POST / HTTP/1.0\r\nConnection: keep-alive, Content-Length\r\nContent-Length: 5\r\n\r\n");

        assertThat(out).endsWith("Content-Length: 35\r\n\r\n");
        assertThat(http10).endsWith("Content-Length: 5\r\n\r\n");
    }

    @Test
    void aRepeatedContentLengthGoesOnAsOneValue() {
        assertThat(forwarded("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5, 5\r\n\r\n"))
                .endsWith("Via: 1.1 longshore\r\nContent-Length: 5\r\n\r\n").doesNotContain("5, 5");
        assertThat(forwarded("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 007\r\ncontent-length: 7\r\n\r\n"))
                .endsWith("Via: 1.1 longshore\r\nContent-Length: 7\r\n\r\n").doesNotContain("007");
        assertThat(forwarded("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1234567890123\r\n\r\n"))
                .endsWith("Content-Length: 1234567890123\r\n\r\n");
        assertThat(forwarded("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"))
                .endsWith("Content-Length: 0\r\n\r\n");
        assertThat(forwarded("GET / HTTP/1.1\r\nHost: x\r\n\r\n")).doesNotContain("Content-Length");
    }

    @Test
    void aResponseLengthGoesOnOnceAndTheClientGetsItWhateverConnectionNames() {
        assertThat(answered("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\nConnection: Content-Length\r\n\r\n",
                false, HeadWriter.ConnectionOption.NONE)).isEqualTo("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n");
        assertThat(answered("HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n", false,
                HeadWriter.ConnectionOption.NONE)).as("a 304 may say the representation's length")
                .isEqualTo("HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n");
    }

    @Test
    void noBodyStatusCarriesNoFramingFields() {
        assertThat(answered("HTTP/1.1 204 No Content\r\nContent-Length: 5\r\nX-A: 1\r\n\r\n", false,
                HeadWriter.ConnectionOption.NONE)).isEqualTo("HTTP/1.1 204 No Content\r\nX-A: 1\r\n\r\n");
        assertThat(answered("HTTP/1.1 204 No Content\r\nTransfer-Encoding: chunked\r\n\r\n", false,
                HeadWriter.ConnectionOption.NONE)).isEqualTo("HTTP/1.1 204 No Content\r\n\r\n");
        assertThat(answered("HTTP/1.1 102 Processing\r\nContent-Length: 5\r\n\r\n", false,
                HeadWriter.ConnectionOption.NONE)).isEqualTo("HTTP/1.1 102 Processing\r\n\r\n");
    }
}
