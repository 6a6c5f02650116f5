package io.longshore.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The scriptable backend sends exactly what is scripted and records exactly what it received. */
class ScriptedBackendTest {
    private static final String OK_HELLO = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
    private ScriptedBackend backend;

    @AfterEach
    void close() {
        if (backend != null) {
            backend.close();
        }
    }

    /** Sends {@code request} on a new connection and reads until the backend closes or {@code bytes} arrived. */
    private String exchange(String request, int bytes) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", backend.port())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            StringBuilder answer = new StringBuilder();
            for (int c = in.read(); c >= 0; c = in.read()) {
                answer.append((char) c);
                if (answer.length() == bytes) {
                    break;
                }
            }
            return answer.toString();
        }
    }

    @Test
    void answersWithTheQueuedResponsesInOrderOnOneKeptAliveConnection() throws IOException {
        backend = ScriptedBackend.start();
        backend.enqueue(ScriptedResponse.status(503).withHeader("Retry-After", "1"));
        backend.enqueue(ScriptedResponse.ok("second"));
        String first = "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Length: 0\r\n\r\n";
        String second = "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nsecond";

        String answer = exchange("GET /a HTTP/1.1\r\nHost: h\r\n\r\nGET /b HTTP/1.1\r\nHost: h\r\n\r\n",
                first.length() + second.length());

        assertThat(answer).isEqualTo(first + second);
        assertThat(backend.requests()).extracting(RecordedRequest::target).containsExactly("/a", "/b");
        assertThat(backend.requests()).extracting(RecordedRequest::connection).containsOnly(1);
        assertThat(backend.connections()).isEqualTo(1);
    }

    @Test
    void recordsTheHeadAsSentAndTheBodyFramedByLengthOrChunked() throws IOException {
        backend = ScriptedBackend.start(request -> ScriptedResponse.ok(request.body()));

        String fixed = exchange("PUT /doc HTTP/1.1\r\nHost: h\r\nX-Tag: one\r\nX-Tag: two\r\nContent-Length: 5\r\n\r\n"
                + "hello", OK_HELLO.length());
        exchange("POST /up HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n2\r\nde\r\n0\r\n"
                + "Trailer: t\r\n\r\n", 43);

        assertThat(fixed).isEqualTo(OK_HELLO);
        RecordedRequest put = backend.requests().get(0);
        assertThat(put.requestLine()).isEqualTo("PUT /doc HTTP/1.1");
        assertThat(put.method()).isEqualTo("PUT");
        assertThat(put.headers("x-tag")).containsExactly("one", "two");
        assertThat(put.body()).isEqualTo("hello");
        assertThat(backend.requests().get(1).body()).isEqualTo("abcde");
        assertThat(backend.requests()).extracting(RecordedRequest::sequence).containsExactly(1, 2);
    }

    @Test
    void sendsChunkedBodiesRawBytesAndBodiesDelimitedByClosing() throws IOException {
        backend = ScriptedBackend.start();
        String expectedChunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "3\r\nabc\r\n3\r\ndef\r\n1\r\ng\r\n0\r\n\r\n";
        String expectedRaw = "HTTP/1.1 103 Early Hints\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n";
        backend.enqueue(ScriptedResponse.ok("abcdefg").chunked(3));
        String chunked = exchange("GET / HTTP/1.1\r\nHost: h\r\n\r\n", expectedChunked.length());
        backend.enqueue(ScriptedResponse.raw(expectedRaw));
        String raw = exchange("GET / HTTP/1.1\r\nHost: h\r\n\r\n", expectedRaw.length());
        backend.enqueue(ScriptedResponse.ok("to the end").delimitedByClose());
        String closing = exchange("GET / HTTP/1.1\r\nHost: h\r\n\r\n", 0);

        assertThat(chunked).isEqualTo(expectedChunked);
        assertThat(raw).isEqualTo(expectedRaw);
        assertThat(closing).isEqualTo("HTTP/1.1 200 OK\r\n\r\nto the end");
    }

    @Test
    void aHeadRequestGetsTheHeadWithoutTheBody() throws IOException {
        backend = ScriptedBackend.start();
        backend.enqueue(ScriptedResponse.ok("body"));

        assertThat(exchange("HEAD / HTTP/1.1\r\nHost: h\r\n\r\n", 38))
                .isEqualTo("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n");
    }

    @Test
    void closesAfterAResponseWhenToldAndResetsMidResponse() throws IOException {
        backend = ScriptedBackend.start();
        backend.enqueue(ScriptedResponse.ok("bye").thenClose());
        assertThat(exchange("GET / HTTP/1.1\r\nHost: h\r\n\r\n", 0)).endsWith("bye");

        backend.enqueue(ScriptedResponse.ok("x".repeat(1000)).resetAfter(20));
        try (Socket socket = new Socket("127.0.0.1", backend.port())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: h\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            byte[] first = socket.getInputStream().readNBytes(20);
            assertThat(new String(first, StandardCharsets.ISO_8859_1)).isEqualTo("HTTP/1.1 200 OK\r\nCon");
            assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketException.class);
        }
    }

    @Test
    void aDispatcherMayHoldARequestUntilTheTestLetsItGo() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        backend = ScriptedBackend.start(request -> {
            release.await();
            return ScriptedResponse.ok("released");
        });
        try (Socket socket = new Socket("127.0.0.1", backend.port())) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write("GET /held HTTP/1.1\r\nHost: h\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            await().atMost(Duration.ofSeconds(5)).until(() -> backend.requests().size() == 1);
            assertThat(socket.getInputStream().available()).isZero();

            release.countDown();
            String answer = new String(socket.getInputStream().readNBytes(46), StandardCharsets.ISO_8859_1);

            assertThat(answer).isEqualTo("HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\nreleased");
        }
    }

    @Test
    void aBackendIgnoringBodiesAnswersRightAfterTheHead() throws IOException {
        backend = ScriptedBackend.ignoringBodies(request -> ScriptedResponse.status(413).thenClose());

        String answer = exchange("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 100000\r\n\r\n", 0);

        assertThat(answer).startsWith("HTTP/1.1 413 ");
        assertThat(backend.requests().get(0).body()).isEmpty();
    }

    @Test
    void aTakenPortAndBadScriptsAreRefusedWithClearErrors() {
        backend = ScriptedBackend.start();

        assertThatThrownBy(() -> ScriptedBackend.onPort(backend.port(), null))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining(":" + backend.port());
        assertThatThrownBy(() -> ScriptedResponse.status(42)).hasMessageContaining("status");
        assertThatThrownBy(() -> ScriptedResponse.ok("x").chunked(0)).hasMessageContaining("size");
        assertThatThrownBy(() -> ScriptedResponse.ok("x").delayed(Duration.ofMillis(-1))).hasMessageContaining("pause");
    }
}
