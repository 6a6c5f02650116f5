package io.longshore.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.longshore.testkit.RawHttpClient;
import io.longshore.testkit.RecordedRequest;
import io.longshore.testkit.ScriptedBackend;
import io.longshore.testkit.ScriptedResponse;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A replica's silence counts against the response timeout only while it is the replica's: while
 * the gateway waits for a client that pauses in its body, or that is slow to read the response,
 * the client's idle timeout bounds the pause instead (the standalone gateway's own, the host
 * connector's when embedded). Once the body is whole, the replica's silence is timed again.
 * The time passes as response timeouts seen on other requests, each answered 504.
 */
@ParameterizedClass
@EnumSource(Transport.class)
class GatewayStalledBodyTest {
    private static final Duration RESPONSE_TIMEOUT = Duration.ofMillis(300);
    /** Longer than the response timeouts a test waits out. */
    private static final Duration LONG_CLIENT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    /** Larger than what the kernel and the gateway buffer on the way to a client that reads nothing. */
    private static final int DOWNLOAD_BYTES = 16 * 1024 * 1024;
    @Parameter
    Transport transport;
    private ScriptedBackend replica;
    private ScriptedBackend silent;
    private RoundRobinTestRouter router;
    private TestGateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (replica != null) {
            replica.close();
        }
        if (silent != null) {
            silent.close();
        }
    }

    private void start(Duration clientIdleTimeout) {
        start(clientIdleTimeout, ScriptedResponse.status(404));
    }

    /**
     * A gateway whose replica echoes uploads, answers {@code /download} with {@code download} and
     * never answers {@code /unanswered}; {@code /silent} goes to a replica that never answers.
     */
    private void start(Duration clientIdleTimeout, ScriptedResponse download) {
        replica = ScriptedBackend.start(request -> answer(request, download));
        silent = ScriptedBackend.start(request -> ScriptedResponse.noAnswer());
        router = new RoundRobinTestRouter(replica.port());
        gateway = transport.start(Gateway.builder().responseTimeout(RESPONSE_TIMEOUT).retryBudget(0)
                .route("/silent", "silent", new RoundRobinTestRouter(silent.port()))
                .route("/", "replica", router),
                ConnectorSettings.DEFAULTS.withClientIdleTimeout(clientIdleTimeout));
    }

    private static ScriptedResponse answer(RecordedRequest request, ScriptedResponse download) {
        return switch (request.target()) {
            case "/unanswered" -> ScriptedResponse.noAnswer();
            case "/download" -> download;
            default -> ScriptedResponse.ok("got " + request.body());
        };
    }

    /** Lets {@code count} response timeouts pass, one after another, each seen as a 504 on another request. */
    private void waitOutResponseTimeouts(int count) throws Exception {
        for (int i = 0; i < count; i++) {
            try (RawHttpClient other = new RawHttpClient(gateway.port())) {
                assertThat(other.send("GET /silent HTTP/1.1\r\nHost: h\r\n\r\n").read().status()).isEqualTo(504);
            }
        }
    }

    @Test
    void aClientPausingMidBodyLongerThanTheResponseTimeoutButWithinItsIdleTimeoutIsServed() throws Exception {
        start(LONG_CLIENT_IDLE_TIMEOUT);

        try (RawHttpClient upload = new RawHttpClient(gateway.port())) {
            upload.send("POST /upload HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n01234");
            await().atMost(Duration.ofSeconds(10)).until(() -> replica.connections() == 1);
            waitOutResponseTimeouts(3); // the upload pauses meanwhile

            RawHttpClient.Response response = upload.send("56789").read();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("got 0123456789");
        }
    }

    @Test
    void aReplicaSilentOnceAPausedBodyIsWholeGets504() throws Exception {
        start(LONG_CLIENT_IDLE_TIMEOUT);

        try (RawHttpClient upload = new RawHttpClient(gateway.port())) {
            upload.send("POST /unanswered HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n01234");
            await().atMost(Duration.ofSeconds(10)).until(() -> replica.connections() == 1);
            waitOutResponseTimeouts(3);

            // far sooner than the client idle timeout: the replica's silence is timed again
            assertThat(upload.send("56789").read().status()).isEqualTo(504);
        }
        assertThat(replica.requests()).extracting(RecordedRequest::body).containsExactly("0123456789");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(router.outcomes())
                .containsExactly("replica-" + replica.port() + "=TIMEOUT"));
    }

    @Test
    void aClientPausingMidBodyBeyondItsIdleTimeoutGets408AndTheReplicaIsNotBlamed() throws Exception {
        start(RESPONSE_TIMEOUT.multipliedBy(4));

        try (RawHttpClient upload = new RawHttpClient(gateway.port())) {
            RawHttpClient.Response response = upload
                    .send("POST /upload HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n01234").read();

            assertThat(response.status()).isEqualTo(408);
        }
        // the replica never got the whole body (it records a request cut off mid-body with what came)
        assertThat(replica.requests()).allSatisfy(request -> assertThat(request.body()).hasSizeLessThan(10));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(router.outcomes())
                .containsExactly("replica-" + replica.port() + "=CANCELLED"));
    }

    @Test
    void aClientReadingNothingLongerThanTheResponseTimeoutButWithinItsIdleTimeoutGetsTheWholeResponse()
            throws Exception {
        byte[] download = new byte[DOWNLOAD_BYTES];
        for (int i = 0; i < download.length; i++) {
            download[i] = (byte) (i % 251);
        }
        // its bytes made once, so the replica answers at once rather than after building them
        start(LONG_CLIENT_IDLE_TIMEOUT, ScriptedResponse.raw("HTTP/1.1 200 OK\r\nContent-Length: " + DOWNLOAD_BYTES
                + "\r\n\r\n" + new String(download, StandardCharsets.ISO_8859_1)));

        try (Socket client = new Socket()) {
            client.setOption(StandardSocketOptions.SO_RCVBUF, 4096); // so the gateway's writes to it stay pending
            client.connect(new InetSocketAddress("127.0.0.1", gateway.port()));
            client.setSoTimeout(20_000);
            client.getOutputStream().write("GET /download HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = client.getInputStream();
            assertThat(in.read()).isEqualTo('H'); // the response has begun
            waitOutResponseTimeouts(3); // the client reads nothing meanwhile

            byte[] rest = in.readAllBytes();

            int bodyStart = bodyStart(rest);
            assertThat("H" + new String(rest, 0, bodyStart, StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200");
            assertThat(rest.length - bodyStart).isEqualTo(DOWNLOAD_BYTES);
            assertThat(Arrays.mismatch(rest, bodyStart, rest.length, download, 0, download.length)).isEqualTo(-1);
        }
    }

    /** Where the body starts in {@code response}: after its head's empty line. */
    private static int bodyStart(byte[] response) {
        for (int i = 3; i < response.length; i++) {
            if (response[i - 3] == '\r' && response[i - 2] == '\n' && response[i - 1] == '\r' && response[i] == '\n') {
                return i + 1;
            }
        }
        throw new AssertionError("no end of the head in " + response.length + " bytes");
    }
}
