package io.longshore.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Clients that stall mid-body hold no admin thread: the admin server has eight, and a body read
 * that blocked one each let a handful of idle sockets hang the whole admin API.
 */
class GatewayAdminSlowBodyTest {
    private final List<Socket> sockets = new ArrayList<>();
    private Gateway gateway;

    @AfterEach
    void close() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    private Gateway start() {
        return start(Gateway.builder());
    }

    private static Gateway start(GatewayBuilder builder) {
        FakeOrchestrator acts = new FakeOrchestrator("acts", new RoundRobinTestRouter(TestSupport.closedPort()));
        return builder.port(0).adminPort(0).route("/", acts).build().start();
    }

    /** Opens a connection that sends a head promising 100 bytes of body, then only the first few. */
    private Socket stall(String path) throws IOException {
        Socket socket = new Socket("127.0.0.1", gateway.adminPort());
        sockets.add(socket);
        socket.getOutputStream().write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json"
                + "\r\nContent-Length: 100\r\n\r\n{\"repl").getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return socket;
    }

    private static String answer(Socket socket, int timeoutMillis) throws IOException {
        socket.setSoTimeout(timeoutMillis);
        InputStream in = socket.getInputStream();
        return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }

    @Test
    void twelveStalledBodiesLeaveHealthzAnsweringWhileTheyAreHeld() throws Exception {
        gateway = start(Gateway.builder().adminBodyDeadline(Duration.ofSeconds(3)));
        List<Socket> stalled = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            stalled.add(stall("/scale"));
            stalled.add(stall("/rollout"));
            stalled.add(stall("/replicas/acts-8000/weight"));
        }

        try (Socket health = new Socket("127.0.0.1", gateway.adminPort())) {
            health.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(answer(health, 10_000)).startsWith("HTTP/1.1 200").endsWith("ok\n");
        }
        // answered while every stalled body was still held: none has had its 408 yet ...
        for (Socket socket : stalled) {
            assertThat(socket.getInputStream().available()).as("an answer before /healthz's").isZero();
        }
        // ... and each was held by a handler until its deadline, not left unread in a queue
        for (Socket socket : stalled) {
            assertThat(answer(socket, 10_000)).startsWith("HTTP/1.1 408").contains("the body did not arrive within 3 s");
        }
    }

    @Test
    void aChunkedBodyOverTheBoundIsReadToItsEndSoTheClientStillSendingItReadsThe413() throws Exception {
        gateway = start();
        try (Socket socket = new Socket("127.0.0.1", gateway.adminPort())) {
            socket.getOutputStream().write(("POST /scale HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String chunk = "400\r\n" + " ".repeat(1024) + "\r\n";
            for (int i = 0; i < 32; i++) { // 32 KiB against the 4 KiB bound, while the gateway already knows
                socket.getOutputStream().write(chunk.getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                Thread.sleep(10);
            }
            socket.getOutputStream().write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

            // refused and closed at the bound, the rest of the body meets a closed socket: a reset
            assertThat(answer(socket, 10_000)).startsWith("HTTP/1.1 413").contains("the body exceeds 4096 bytes");
        }
    }

    @Test
    void aBodyNotSentWithinTheDeadlineGets408AsJsonOnEveryPathThatTakesABody() throws Exception {
        // the deadline is 10 s by default (GatewayBuilderTest); a short one keeps this test short
        gateway = start(Gateway.builder().adminBodyDeadline(Duration.ofMillis(300)));
        Socket scale = stall("/scale");
        Socket weight = stall("/replicas/acts-8000/weight");

        // well within the socket's wait, but not within the default's 10 s: the deadline set is the one applied
        for (Socket stalled : List.of(scale, weight)) {
            assertThat(answer(stalled, 5_000)).startsWith("HTTP/1.1 408").contains("application/json")
                    .contains("{\"error\":\"the body did not arrive within 300 ms\"}");
        }
    }
}
