package io.longshore.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.longshore.api.ConfigurationException;
import io.longshore.testkit.RawHttpClient;
import io.longshore.testkit.ScriptedBackend;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The request-head timeout (HAProxy's {@code timeout http-request}): a client must send a whole
 * head within it, however steadily it trickles bytes, or it gets 408; it is the standalone
 * connector's, so an embedded gateway refuses it and says why.
 */
@ParameterizedClass
@EnumSource(Transport.class)
class GatewaySlowClientTest {
    private static final Duration HEAD_TIMEOUT = Duration.ofMillis(400);
    @Parameter
    Transport transport;
    private ScriptedBackend backend;
    private Gateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    /** Starts a standalone gateway with the short head timeout; an embedded one must refuse it. */
    private boolean started() {
        backend = ScriptedBackend.answering("ok");
        GatewayBuilder builder = Gateway.builder().router(new RoundRobinTestRouter(backend.port()))
                .requestHeadTimeout(HEAD_TIMEOUT);
        if (transport == Transport.EMBEDDED) {
            assertThatThrownBy(() -> builder.embedded().build()).isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("requestHeadTimeout");
            return false;
        }
        gateway = builder.port(0).adminEnabled(false).ioThreads(1).build().start();
        return true;
    }

    @Test
    void aClientTricklingItsHeadAByteAtATimeGets408AndIsClosed() throws Exception {
        if (!started()) {
            return;
        }
        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write("GET /slow HTTP/1.1\r\nHost: h\r\nX-Trickle: ".getBytes(StandardCharsets.US_ASCII));
            AtomicBoolean stop = new AtomicBoolean();
            Thread trickle = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        out.write('a'); // one byte every 20 ms: never idle, never done
                        out.flush();
                        Thread.sleep(20);
                    }
                } catch (IOException | InterruptedException e) {
                    // closed by the gateway: the trickle ends
                }
            });
            trickle.start();
            try {
                String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);

                assertThat(answer).startsWith("HTTP/1.1 408").contains("Connection: close")
                        .contains("request head not received in time");
            } finally {
                stop.set(true);
                trickle.join(5_000);
            }
        }
        assertThat(backend.requests()).isEmpty();
    }

    @Test
    void moreUnfinishedHeadsThanOneSweepEndsAllGet408AndARequestBesideThemIsServed() throws Exception {
        if (!started()) {
            return;
        }
        int count = 3 * 64 + 5; // three full sweeps of the deadlines and a part of a fourth
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                Socket socket = new Socket("127.0.0.1", gateway.port());
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write("GET /unfinished HTTP/1.1\r\nHost: h\r\n".getBytes(StandardCharsets.US_ASCII));
                sockets.add(socket);
            }
            try (RawHttpClient http = new RawHttpClient(gateway.port())) {
                assertThat(http.send("GET /beside HTTP/1.1\r\nHost: h\r\n\r\n").read().status()).isEqualTo(200);
            }

            for (Socket socket : sockets) {
                assertThat(new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                        .startsWith("HTTP/1.1 408");
            }
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
        assertThat(backend.requests()).extracting(r -> r.target()).containsExactly("/beside");
    }

    @Test
    void aConnectionThatSendsNothingIsClosedWithoutAnAnswer() throws Exception {
        if (!started()) {
            return;
        }
        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            socket.setSoTimeout(10_000);
            InputStream in = socket.getInputStream();

            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void anIdleKeepAliveConnectionOutlivesTheHeadTimeoutAndServesItsNextRequest() throws Exception {
        if (!started()) {
            return;
        }
        try (RawHttpClient http = new RawHttpClient(gateway.port())) {
            assertThat(http.send("GET /1 HTTP/1.1\r\nHost: h\r\n\r\n").read().status()).isEqualTo(200);
            await().pollDelay(HEAD_TIMEOUT.multipliedBy(3)).until(() -> true); // idle: the idle timeout applies, not the head's

            assertThat(http.send("GET /2 HTTP/1.1\r\nHost: h\r\n\r\n").read().status()).isEqualTo(200);
        }
    }

    @Test
    void aHeadSentInPiecesWithinTheTimeoutIsServed() throws Exception {
        if (!started()) {
            return;
        }
        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            for (String piece : new String[] {"GET /pie", "ces HTTP/1.1\r\nHo", "st: h\r\nConnection: close\r\n", "\r\n"}) {
                out.write(piece.getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);

            assertThat(answer).startsWith("HTTP/1.1 200").endsWith("ok");
        }
        assertThat(backend.requests()).singleElement().satisfies(r -> assertThat(r.target()).isEqualTo("/pieces"));
    }
}
