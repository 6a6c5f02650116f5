package io.longshore.jetty.internal.codec;

import static io.longshore.jetty.internal.codec.Heads.request;
import static io.longshore.jetty.internal.codec.Heads.requestResult;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestHeadTest {

    @Test
    void readsMethodTargetPathAndHostOfASimpleGet() {
        String text = "GET /api/v1/acts?x=1 HTTP/1.1\r\nHost: gw:8080\r\nAccept: */*\r\n\r\n";
        RequestHead head = request(text);

        assertThat(head.length()).isEqualTo(text.length());
        assertThat(head.method()).isEqualTo(Method.GET);
        assertThat(head.methodName()).isSameAs("GET");
        assertThat(head.path()).isEqualTo("/api/v1/acts");
        assertThat(head.text(head.targetStart(), head.targetEnd())).isEqualTo("/api/v1/acts?x=1");
        assertThat(head.isHttp10()).isFalse();
        assertThat(head.hasBody()).isFalse();
        assertThat(head.field("host")).isEqualTo("gw:8080");
        assertThat(head.field("ACCEPT")).isEqualTo("*/*");
        assertThat(head.wantsKeepAlive()).isTrue();
    }

    @Test
    void leavesTheBufferPositionAloneAndStopsAtTheEmptyLine() {
        ByteBuffer buffer = Heads.buffer("GET / HTTP/1.1\r\nHost: h\r\n\r\nNEXT");
        RequestHead head = new RequestHead(1024);

        int result = head.parse(buffer);

        assertThat(result).isEqualTo(27);
        assertThat(buffer.position()).isZero();
    }

    @Test
    void needsMoreBytesUntilTheEmptyLineArrives() {
        assertThat(requestResult("GET / HTTP/1.1\r\nHost: h\r\n")).isEqualTo(Parse.NEED_MORE);
        assertThat(requestResult("GET / HTTP/1.1\r\nHost: h\r\n\r")).isEqualTo(Parse.NEED_MORE);
        assertThat(requestResult("GET / HT")).isEqualTo(Parse.NEED_MORE);
    }

    @Test
    void acceptsBareLineFeedsAndSkipsEmptyLinesBeforeTheRequestLine() {
        RequestHead head = request("\r\n\nGET /x HTTP/1.1\nHost: h\n\n");

        assertThat(head.path()).isEqualTo("/x");
        assertThat(head.field("Host")).isEqualTo("h");
    }

    @Test
    void readsTheFramingOfABody() {
        assertThat(request("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 12\r\n\r\n").contentLength()).isEqualTo(12);
        assertThat(request("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 7, 7\r\n\r\n").contentLength()).isEqualTo(7);
        RequestHead chunked = request("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: Chunked\r\n\r\n");
        assertThat(chunked.isChunked()).isTrue();
        assertThat(chunked.hasBody()).isTrue();
        assertThat(request("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n").hasBody()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Content-Length: 5\r\nTransfer-Encoding: chunked",   // both: the classic smuggling vector
            "Content-Length: 5\r\nContent-Length: 6",
            "Content-Length: 5, 6",
            "Content-Length: +5",
            "Content-Length: 0x10",
            "Content-Length: ",
            "Content-Length: 1234567890123456789012",
            "Transfer-Encoding: chunked, gzip",                  // chunked not last
            "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked",
            "Transfer-Encoding: gzip",
    })
    void rejectsAmbiguousOrInvalidFraming(String fields) {
        assertThat(requestResult("POST / HTTP/1.1\r\nHost: h\r\n" + fields + "\r\n\r\n")).isEqualTo(-400);
    }

    @Test
    void answers501ToTransferCodingsItCannotForward() {
        assertThat(requestResult("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"))
                .isEqualTo(-501);
    }

    @Test
    void rejectsTransferEncodingInHttp10() {
        assertThat(requestResult("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n")).isEqualTo(-400);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "GET / HTTP/1.1\r\nHost : h\r\n\r\n",                   // whitespace before the colon
            "GET / HTTP/1.1\r\nHost: h\r\n folded\r\n\r\n",        // obs-fold
            "GET / HTTP/1.1\r\nHost: h\r\nX: a\rb\r\n\r\n",         // bare CR
            "GET / HTTP/1.1\r\nHost: h\r\nX: a\u0000b\r\n\r\n",     // NUL
            "GET / HTTP/1.1\r\nHost: h\r\nThis is not a header\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: h\r\n: empty name\r\n\r\n",
            "GET / HTTP/1.1\r\n\r\n",                               // no Host in HTTP/1.1
            "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
            "GET  / HTTP/1.1\r\nHost: h\r\n\r\n",
            "GET / HTTP/1.1 \r\nHost: h\r\n\r\n",
            "GET /a b HTTP/1.1\r\nHost: h\r\n\r\n",
            "GET /\u00e9 HTTP/1.1\r\nHost: h\r\n\r\n",
            "GET /#frag HTTP/1.1\r\nHost: h\r\n\r\n",
            "GET / http/1.1\r\nHost: h\r\n\r\n",
            "GET / HTTP/1.x\r\nHost: h\r\n\r\n",
            "G(T / HTTP/1.1\r\nHost: h\r\n\r\n",
            "GET x HTTP/1.1\r\nHost: h\r\n\r\n",
            "GET * HTTP/1.1\r\nHost: h\r\n\r\n",
    })
    void rejectsMalformedHeadsWith400(String text) {
        assertThat(requestResult(text)).isEqualTo(-400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a/../b", "/..", "/./x", "/x/.", "/%2e%2e/admin", "/a/%2E", "/.%2e/x",
            "/api/..;/admin", "/api/..;jsessionid=1/admin", "/a/.;x/b", "/a/%2e%2e;"})
    void rejectsDotSegmentsThatWouldEscapeAPrefix(String path) {
        assertThat(requestResult("GET " + path + " HTTP/1.1\r\nHost: h\r\n\r\n")).isEqualTo(-400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a..b", "/.well-known/x", "/a/...", "/%2e%2e%2e", "/a.b/c.", "/a/;../b", "/a/...;x"})
    void acceptsPathsWithDotsThatAreNotDotSegments(String path) {
        assertThat(request("GET " + path + " HTTP/1.1\r\nHost: h\r\n\r\n").path()).isEqualTo(path);
    }

    @Test
    void aConnectionFieldNamingMoreThan32OptionsIs400() {
        // every field is checked against every option: thousands of each would stall the event loop
        String options = String.join(", ", java.util.Collections.nCopies(MessageHead.MAX_CONNECTION_OPTIONS, "x-o"));

        assertThat(request("GET / HTTP/1.1\r\nHost: h\r\nConnection: close, " + options + "\r\n\r\n")
                .isNamedByConnection(1)).isFalse();
        assertThat(requestResult("GET / HTTP/1.1\r\nHost: h\r\nConnection: " + options + ", x-p\r\n\r\n"))
                .isEqualTo(-400);
    }

    @Test
    void answers505ToOtherMajorVersions() {
        assertThat(requestResult("GET / HTTP/2.0\r\nHost: h\r\n\r\n")).isEqualTo(-505);
    }

    @Test
    void answers505ToTheHttp2PriorKnowledgePreface() {
        assertThat(requestResult("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")).isEqualTo(-505);
    }

    @Test
    void treatsHttp10AsKeepAliveOnlyWhenAsked() {
        RequestHead plain = request("GET / HTTP/1.0\r\n\r\n");
        RequestHead keepAlive = request("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n");
        RequestHead close = request("GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");

        assertThat(plain.isHttp10()).isTrue();
        assertThat(plain.wantsKeepAlive()).isFalse();
        assertThat(keepAlive.wantsKeepAlive()).isTrue();
        assertThat(close.wantsKeepAlive()).isFalse();
    }

    @Test
    void knowsTheFieldsTheConnectionOptionNames() {
        RequestHead head = request("GET / HTTP/1.1\r\nHost: h\r\nConnection: keep-alive, X-Secret\r\n"
                + "x-secret: s\r\nX-Kept: k\r\n\r\n");

        assertThat(head.isNamedByConnection(2)).isTrue();
        assertThat(head.isNamedByConnection(3)).isFalse();
        assertThat(head.hasKeepAlive()).isTrue();
    }

    @Test
    void expectsContinueOnlyForABodyAndRejectsOtherExpectations() {
        assertThat(request("PUT / HTTP/1.1\r\nHost: h\r\nExpect: 100-Continue\r\nContent-Length: 3\r\n\r\n")
                .expectsContinue()).isTrue();
        assertThat(request("GET / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n\r\n").expectsContinue()).isFalse();
        assertThat(requestResult("PUT / HTTP/1.1\r\nHost: h\r\nExpect: magic\r\n\r\n")).isEqualTo(-417);
    }

    /** RFC 9110 5.6.1: a recipient accepts and ignores empty list elements. */
    @ParameterizedTest
    @ValueSource(strings = {"100-continue,", ", 100-continue", "100-CONTINUE , ,", ",,100-Continue,\t",
            "100-continue, 100-continue"})
    void takesAnExpectationListWithEmptyElementsAs100Continue(String expect) {
        assertThat(request("PUT / HTTP/1.1\r\nHost: h\r\nExpect: " + expect + "\r\nContent-Length: 3\r\n\r\n")
                .expectsContinue()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"100-continue, magic", "magic,", ", 102-processing", "100-continue;x=1", "100-continuex"})
    void refusesAListWithAnotherExpectation(String expect) {
        assertThat(requestResult("PUT / HTTP/1.1\r\nHost: h\r\nExpect: " + expect + "\r\nContent-Length: 3\r\n\r\n"))
                .isEqualTo(-417);
    }

    @Test
    void anExpectationListWithNoElementsExpectsNothing() {
        assertThat(request("PUT / HTTP/1.1\r\nHost: h\r\nExpect: ,\r\nContent-Length: 3\r\n\r\n").expectsContinue())
                .isFalse();
        assertThat(request("PUT / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nExpect: ,\r\nContent-Length: 3\r\n\r\n")
                .expectsContinue()).isTrue();
    }

    @Test
    void splitsAnAbsoluteFormTargetIntoAuthorityAndPath() {
        RequestHead head = request("GET http://example.com:81/p/q?z HTTP/1.1\r\nHost: ignored\r\n\r\n");

        assertThat(head.isAbsoluteForm()).isTrue();
        assertThat(head.text(head.authorityStart(), head.authorityEnd())).isEqualTo("example.com:81");
        assertThat(head.path()).isEqualTo("/p/q");
        assertThat(request("GET HTTPS://h?q HTTP/1.1\r\nHost: h\r\n\r\n").path()).isEqualTo("/");
    }

    @Test
    void acceptsTheAsteriskOnlyForOptionsAndRefusesConnect() {
        assertThat(request("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n").path()).isEqualTo("*");
        assertThat(requestResult("CONNECT h:443 HTTP/1.1\r\nHost: h\r\n\r\n")).isEqualTo(-501);
    }

    @Test
    void answers414WhenTheRequestLineAloneExceedsTheLimitAnd431ForFields() {
        RequestHead small = new RequestHead(64);

        assertThat(small.parse(Heads.buffer("GET /" + "a".repeat(100) + " HTTP/1.1\r\n"))).isEqualTo(-414);
        assertThat(small.parse(Heads.buffer("GET / HTTP/1.1\r\nX-Big: " + "b".repeat(100) + "\r\n\r\n")))
                .isEqualTo(-431);
        assertThat(small.parse(Heads.buffer("GET / HTTP/1.1\r\nHost: h\r\n"))).isEqualTo(Parse.NEED_MORE);
    }

    @Test
    void namesEveryOtherMethodAsSent() {
        RequestHead head = request("PROPFIND /dav HTTP/1.1\r\nHost: h\r\n\r\n");

        assertThat(head.method()).isEqualTo(Method.OTHER);
        assertThat(head.methodName()).isEqualTo("PROPFIND");
        assertThat(head.method().isIdempotent()).isFalse();
        assertThat(Method.PUT.isIdempotent()).isTrue();
        assertThat(Method.POST.isIdempotent()).isFalse();
    }

    @Test
    void isReusedForTheNextRequestWithoutLeftovers() {
        RequestHead head = new RequestHead(1024);
        head.parse(Heads.buffer("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nConnection: close, X\r\n\r\n"));

        head.parse(Heads.buffer("GET / HTTP/1.1\r\nHost: h\r\n\r\n"));

        assertThat(head.contentLength()).isEqualTo(MessageHead.NO_LENGTH);
        assertThat(head.hasClose()).isFalse();
        assertThat(head.fieldCount()).isEqualTo(1);
        assertThat(head.isNamedByConnection(0)).isFalse();
    }

    @Test
    void aHeadFedByteByByteIsTakenInOnceAndParsesAsTheWholeDoes() {
        String text = "\r\nPOST /a/b?c=d HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nX-Long: " + "v".repeat(600) + "\r\n\r\n";
        ByteBuffer all = Heads.buffer(text);
        ByteBuffer growing = all.duplicate();
        RequestHead head = new RequestHead(8192);
        int result = Parse.NEED_MORE;
        for (int n = 1; n <= text.length() && result == Parse.NEED_MORE; n++) {
            growing.limit(n);
            result = head.parseMore(growing);
            if (result == Parse.NEED_MORE) {
                assertThat(head.partialBytes()).isEqualTo(n);
            }
        }

        assertThat(result).isEqualTo(text.length());
        assertThat(head.path()).isEqualTo("/a/b");
        assertThat(head.contentLength()).isEqualTo(3);
        assertThat(head.field("x-long")).hasSize(600);
        assertThat(head.partialBytes()).isZero();
    }

    @Test
    void aHeadStartsSmallAndGrowsToTheLimitOnlyWhenAHeadNeedsIt() {
        RequestHead head = new RequestHead(8192);
        assertThat(head.bytes()).hasSize(MessageHead.INITIAL_BYTES);

        head.parse(Heads.buffer("GET / HTTP/1.1\r\nHost: h\r\n\r\n"));
        assertThat(head.bytes()).hasSize(MessageHead.INITIAL_BYTES);

        String big = "GET /big HTTP/1.1\r\nHost: h\r\nX-Big: " + "b".repeat(5000) + "\r\n\r\n";
        assertThat(head.parse(Heads.buffer(big))).isEqualTo(big.length());
        assertThat(head.field("x-big")).isEqualTo("b".repeat(5000));
        assertThat(head.bytes()).hasSize(8192);

        assertThat(new RequestHead(8192).parse(Heads.buffer("GET / HTTP/1.1\r\nX-Big: " + "b".repeat(9000) + "\r\n\r\n")))
                .isEqualTo(-431);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 512, 1023, 1024, 1025, 3000})
    void aHeadArrivingInPiecesAcrossTheGrowthParsesAsTheWholeDoes(int piece) {
        String text = "GET /p HTTP/1.1\r\nHost: h\r\nX-A: " + "a".repeat(1500) + "\r\nX-B: " + "b".repeat(2500)
                + "\r\n\r\n";
        ByteBuffer growing = Heads.buffer(text).duplicate();
        RequestHead head = new RequestHead(8192);
        int result = Parse.NEED_MORE;
        for (int n = piece; result == Parse.NEED_MORE; n += piece) {
            growing.limit(Math.min(n, text.length()));
            result = head.parseMore(growing);
        }

        assertThat(result).isEqualTo(text.length());
        assertThat(head.field("x-a")).isEqualTo("a".repeat(1500));
        assertThat(head.field("x-b")).isEqualTo("b".repeat(2500));
        assertThat(head.path()).isEqualTo("/p");
    }

    @Test
    void aHeadJustUnderTheLimitParsesAndOneAtItIsRefused() {
        String prefix = "GET / HTTP/1.1\r\nHost: h\r\nX-F: ";
        String fits = prefix + "f".repeat(4096 - prefix.length() - 4) + "\r\n\r\n";
        String over = prefix + "f".repeat(4096 - prefix.length() - 3) + "\r\n\r\n";

        assertThat(fits).hasSize(4096);
        assertThat(new RequestHead(4096).parse(Heads.buffer(fits))).isEqualTo(4096);
        assertThat(new RequestHead(4096).parse(Heads.buffer(over))).isEqualTo(-431);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a b", "a/b", "evil@a", "a:xx", "a, b", "a:80:90", "[::1", "[]", "a%2", "a%zz", "h\u00e9"})
    void rejectsAHostThatIsNotHostAndPort(String host) {
        assertThat(requestResult("GET / HTTP/1.1\r\nHost: " + host + "\r\n\r\n")).isEqualTo(-400);
        assertThat(requestResult("GET / HTTP/1.0\r\nHost: " + host + "\r\n\r\n")).isEqualTo(-400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com", "example.com:8080", "127.0.0.1", "[::1]:80", "[v1.fe80::a+en1]", "a%41b",
            "xn--bcher-kva.example", "a,b", "h:", "localhost:0"})
    void acceptsAHostThatIsHostAndPort(String host) {
        assertThat(request("GET / HTTP/1.1\r\nHost: " + host + "\r\n\r\n").field("host")).isEqualTo(host);
    }

    @Test
    void acceptsAnEmptyHost() {
        assertThat(Parse.isComplete(requestResult("GET / HTTP/1.1\r\nHost: \r\n\r\n"))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://u:p@other.example/", "http://@h/", "http://a b/", "http://h:x/"})
    void rejectsAnAbsoluteTargetWithUserinfoOrABadAuthority(String target) {
        assertThat(requestResult("GET " + target + " HTTP/1.1\r\nHost: h\r\n\r\n")).isEqualTo(-400);
    }

    @Test
    void aHeadRefusedAfterItsRequestLineStillHasIt() {
        RequestHead head = new RequestHead(8192);
        assertThat(head.parse(Heads.buffer("PUT /v?x=1 HTTP/1.1\r\nHost: h\r\nExpect: something\r\n\r\n")))
                .isEqualTo(-417);
        assertThat(head.hasStartLine()).isTrue();
        assertThat(head.methodName()).isEqualTo("PUT");
        assertThat(head.text(head.targetStart(), head.targetEnd())).isEqualTo("/v?x=1");

        assertThat(head.parse(Heads.buffer("GET / HTTP/2.0\r\nHost: h\r\n\r\n"))).isEqualTo(-505);
        assertThat(head.hasStartLine()).isFalse();
        RequestHead small = new RequestHead(64);
        small.parse(Heads.buffer("GET / HTTP/1.1\r\nHost: h\r\n\r\n"));
        assertThat(small.parse(Heads.buffer("GET / HTTP/1.1\r\nHost: h\r\nX: " + "x".repeat(80) + "\r\n\r\n")))
                .isEqualTo(-431);
        assertThat(small.hasStartLine()).as("nothing left over from the head before").isFalse();
    }
}
