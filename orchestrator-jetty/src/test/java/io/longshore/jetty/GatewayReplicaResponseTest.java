package io.longshore.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import io.longshore.testkit.RawHttpClient;
import io.longshore.testkit.ScriptedBackend;
import io.longshore.testkit.ScriptedResponse;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a replica that breaks the rules of RFC 9110/9112 in its response gets through the
 * gateway, byte for byte: the client sees well-formed framing, and a replica connection whose
 * framing can no longer be trusted is not given to the next request. The replica answers the
 * first request on a connection as scripted and every later one with {@code 200 ok}.
 */
@ParameterizedClass
@EnumSource(Transport.class)
class GatewayReplicaResponseTest {
    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

    @Parameter
    Transport transport;
    private ScriptedBackend backend;
    private TestGateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    /** A replica that answers {@code /first} with {@code first}, anything else with {@link #OK}. */
    private void start(String first) {
        backend = ScriptedBackend.start(request -> ScriptedResponse.raw(request.target().equals("/first") ? first : OK));
        gateway = transport.start(Gateway.builder().router(new RoundRobinTestRouter(backend.port())),
                ConnectorSettings.ONE_LOOP);
    }

    @Test
    void a204GoesOnWithoutTheContentLengthTheReplicaWronglyGaveIt() throws Exception {
        start("HTTP/1.1 204 No Content\r\nContent-Length: 5\r\nX-A: 1\r\n\r\n");

        String raw = TestSupport.exchangeToClose(gateway.port(), "GET /first HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");

        assertThat(raw).startsWith("HTTP/1.1 204 ").contains("X-A: 1\r\n").doesNotContainIgnoringCase("Content-Length")
                .endsWith("\r\n\r\n");
    }

    @Test
    void anInterimResponseGoesOnWithoutTheContentLengthTheReplicaWronglyGaveIt() throws Exception {
        start("HTTP/1.1 103 Early Hints\r\nLink: </a>\r\nContent-Length: 5\r\n\r\n" + OK);

        String raw = TestSupport.exchangeToClose(gateway.port(), "GET /first HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");

        String interim = raw.substring(0, raw.indexOf("\r\n\r\n") + 4);
        assertThat(interim).startsWith("HTTP/1.1 103 Early Hints\r\n").contains("Link: </a>\r\n")
                .doesNotContainIgnoringCase("Content-Length");
        assertThat(raw.substring(interim.length())).startsWith("HTTP/1.1 200 OK\r\n").contains("Content-Length: 2\r\n")
                .endsWith("\r\n\r\nok");
    }

    /**
     * The {@code Content-Length} of an answer to {@code HEAD}, and of a 304, is the length a
     * {@code GET} would have had: it goes on to the client, and no body is waited for or read
     * after the head, so the replica connection serves the next request.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "HEAD | HTTP/1.1 200 OK\\r\\nContent-Length: 5\\r\\n\\r\\n",
            "GET | HTTP/1.1 304 Not Modified\\r\\nContent-Length: 5\\r\\n\\r\\n",
    })
    void aLengthWithoutBodyGoesOnAndNoBodyIsRead(String method, String first) throws Exception {
        start(first.replace("\\r\\n", "\r\n"));

        try (RawHttpClient http = new RawHttpClient(gateway.port())) {
            RawHttpClient.Response bodyless = http.send(method + " /first HTTP/1.1\r\nHost: h\r\n\r\n").read(true);
            RawHttpClient.Response next = http.send("GET /second HTTP/1.1\r\nHost: h\r\n\r\n").read();

            assertThat(bodyless.header("Content-Length")).isEqualTo("5");
            assertThat(next.body()).isEqualTo("ok");
        }
        assertThat(backend.connections()).isEqualTo(1);
    }

    /**
     * A replica that sends more than its response said (a second response smuggled after the
     * first) does not get it read as the answer to the next request: the standalone engine
     * closes the connection, Jetty's client discards the bytes it read with the response.
     */
    @Test
    void bytesAfterACompleteResponseNeverAnswerTheNextRequest() throws Exception {
        start(OK + "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nEVIL");

        try (RawHttpClient http = new RawHttpClient(gateway.port())) {
            assertThat(http.send("GET /first HTTP/1.1\r\nHost: h\r\n\r\n").read().body()).isEqualTo("ok");
            assertThat(http.send("GET /second HTTP/1.1\r\nHost: h\r\n\r\n").read().body()).isEqualTo("ok");
        }
        if (transport == Transport.STANDALONE) {
            assertThat(backend.connections()).isEqualTo(2);
        }
    }

    /**
     * A response head the gateway cannot trust is answered 502 when there is no other replica to
     * try ({@link GatewayMalformedHeadRetryTest} has one), and its connection closed, so the next
     * request goes on a new one: a version other than HTTP/1.x, a status code not of three digits
     * or outside 100..599 (RFC 9110 15), a control character in the reason phrase, a folded field
     * line, a field name followed by whitespace, lengths that disagree.
     */
    @ParameterizedTest
    @ValueSource(strings = {
            "HTTP/2.0 200 OK\r\nContent-Length: 2\r\n\r\nok",
            "HTTP/1.1 1000 X\r\nContent-Length: 2\r\n\r\nok",
            "HTTP/1.1 99 X\r\nContent-Length: 2\r\n\r\nok",
            "HTTP/1.1 600 X\r\nContent-Length: 2\r\n\r\nok",
            "HTTP/1.1 999 X\r\nContent-Length: 2\r\n\r\nok",
            "HTTP/1.1 200 O\u0001K\r\nContent-Length: 2\r\n\r\nok",
            "HTTP/1.1 200 OK\r\nX-A: a\r\n b\r\nContent-Length: 2\r\n\r\nok",
            "HTTP/1.1 200 OK\r\nContent-Length : 2\r\n\r\nok",
            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok",
    })
    void aMalformedResponseHeadIsAnswered502AndItsConnectionNotReused(String first) throws Exception {
        start(first);

        try (RawHttpClient http = new RawHttpClient(gateway.port())) {
            assertThat(http.send("GET /first HTTP/1.1\r\nHost: h\r\n\r\n").read().status()).isEqualTo(502);
            assertThat(http.send("GET /second HTTP/1.1\r\nHost: h\r\n\r\n").read().body()).isEqualTo("ok");
        }
        assertThat(backend.connections()).isEqualTo(2);
    }

    /** The highest valid status code (RFC 9110 15), one the gateway has no meaning for, goes on as sent. */
    @Test
    void status599GoesOnAndItsConnectionIsReused() throws Exception {
        start("HTTP/1.1 599 X\r\nContent-Length: 2\r\n\r\nok");

        try (RawHttpClient http = new RawHttpClient(gateway.port())) {
            RawHttpClient.Response first = http.send("GET /first HTTP/1.1\r\nHost: h\r\n\r\n").read();
            RawHttpClient.Response next = http.send("GET /second HTTP/1.1\r\nHost: h\r\n\r\n").read();

            assertThat(first.status()).isEqualTo(599);
            assertThat(first.body()).isEqualTo("ok");
            assertThat(next.body()).isEqualTo("ok");
        }
        assertThat(backend.connections()).isEqualTo(1);
    }

    /** Whether the replica's connection is reused after a response, by what the response says of it (RFC 9112 9.3). */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "HTTP/1.1 200 OK\\r\\nConnection: close\\r\\nContent-Length: 2\\r\\n\\r\\nok | 2",
            "HTTP/1.0 200 OK\\r\\nContent-Length: 2\\r\\n\\r\\nok | 2",
            "HTTP/1.0 200 OK\\r\\nConnection: keep-alive\\r\\nContent-Length: 2\\r\\n\\r\\nok | 1",
    })
    void theReplicasConnectionIsReusedOnlyWhenItsResponseLetsIt(String first, int connections) throws Exception {
        start(first.replace("\\r\\n", "\r\n")); // CSV records end at a real line end

        try (RawHttpClient http = new RawHttpClient(gateway.port())) {
            assertThat(http.send("GET /first HTTP/1.1\r\nHost: h\r\n\r\n").read().body()).isEqualTo("ok");
            assertThat(http.send("GET /second HTTP/1.1\r\nHost: h\r\n\r\n").read().body()).isEqualTo("ok");
        }
        assertThat(backend.connections()).isEqualTo(connections);
    }

    /**
     * A replica that breaks its body off once part of it reached the client (malformed chunked
     * framing, or closing before its length) leaves the client a body visibly cut short: its
     * connection closes without the last chunk or the missing bytes, never a well-formed shorter
     * response. The replica sends the rest only once the client has read the first part.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Transfer-Encoding: chunked | 2\\r\\nok\\r\\n | ok | zz\\r\\nxx\\r\\n0\\r\\n\\r\\n",
            "Transfer-Encoding: chunked | 2\\r\\nok\\r\\n | ok | ",
            "Content-Length: 10 | abc | abc | ",
    })
    void aBodyTheReplicaBreaksOffAfterItsHeadWentOutReachesTheClientCutShort(String framing, String part, String data,
                                                                             String rest) throws Exception {
        CountDownLatch partRead = new CountDownLatch(1);
        try (ServerSocket replica = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            gateway = transport.start(Gateway.builder().router(new RoundRobinTestRouter(replica.getLocalPort())),
                    ConnectorSettings.ONE_LOOP);
            Thread script = new Thread(() -> answerThenBreakOff(replica,
                    "HTTP/1.1 200 OK\r\n" + framing + "\r\n\r\n" + crlf(part), rest == null ? null : crlf(rest), partRead));
            script.start();

            try (Socket client = new Socket("127.0.0.1", gateway.port())) {
                client.setSoTimeout(10_000);
                client.getOutputStream().write("GET /cut HTTP/1.1\r\nHost: h\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                InputStream in = client.getInputStream();
                String head = readUntil(in, "\r\n\r\n");
                String seen = readUntil(in, data);
                partRead.countDown();
                String body = seen + new String(in.readAllBytes(), StandardCharsets.ISO_8859_1); // to the close

                assertThat(head).startsWith("HTTP/1.1 200 ");
                assertThat(body).doesNotContain("0\r\n\r\n").doesNotContain("HTTP/1.1").doesNotContain("xx");
                if (framing.startsWith("Content-Length")) {
                    assertThat(body).isEqualTo(data);
                }
            }
            script.join(10_000);
        }
    }

    private static String crlf(String csv) {
        return csv.replace("\\r\\n", "\r\n");
    }

    /** Reads {@code in} up to and including the first {@code end}. */
    private static String readUntil(InputStream in, String end) throws IOException {
        StringBuilder read = new StringBuilder();
        while (read.indexOf(end) < 0) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("closed before " + end + " in " + read);
            }
            read.append((char) b);
        }
        return read.toString();
    }

    /**
     * Answers the first request with {@code head} and, once the client read it, {@code rest} and
     * waits for the gateway to close the connection; with no {@code rest}, closes it.
     */
    private static void answerThenBreakOff(ServerSocket replica, String head, String rest, CountDownLatch partRead) {
        try (Socket socket = replica.accept()) {
            socket.setSoTimeout(10_000);
            readUntil(socket.getInputStream(), "\r\n\r\n");
            socket.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            partRead.await(10, TimeUnit.SECONDS);
            if (rest != null) {
                socket.getOutputStream().write(rest.getBytes(StandardCharsets.ISO_8859_1));
                socket.getOutputStream().flush();
                socket.getInputStream().read();
            }
        } catch (IOException | InterruptedException e) {
            // the gateway closed first: nothing left to do
        }
    }
}
