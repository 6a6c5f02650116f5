package io.longshore.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.longshore.api.Endpoint;
import io.longshore.testkit.RawHttpClient;
import io.longshore.testkit.ScriptedBackend;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Connection pools are per replica endpoint (and, standalone, per event loop); replica endpoints
 * come and go (rollouts, pods' new IPs, a replica drained), so once no router knows an endpoint
 * any more its idle pooled connections are closed, long before the response timeout that closes
 * an unused connection otherwise (the standalone pool is then dropped, {@code UpstreamPoolsTest};
 * the embedded client's destination goes once unused). A request in flight there finishes first.
 * Seen at the replica: its connections' ends.
 */
@ParameterizedClass
@EnumSource(Transport.class)
class GatewayGonePoolTest {
    /** Far longer than the test waits: an idle connection closed meanwhile was closed because its replica left. */
    private static final Duration RESPONSE_TIMEOUT = Duration.ofMinutes(5);
    @Parameter
    Transport transport;
    private TestGateway gateway;
    private ScriptedBackend successor;
    private ServerSocket replica;
    /** Connections the replica accepted, and how many of them the gateway closed. */
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger closedByGateway = new AtomicInteger();
    /** Released to let the replica answer {@code /slow}. */
    private final CountDownLatch slowAnswer = new CountDownLatch(1);

    @AfterEach
    void stop() throws IOException {
        slowAnswer.countDown();
        if (gateway != null) {
            gateway.close();
        }
        if (successor != null) {
            successor.close();
        }
        if (replica != null) {
            replica.close();
        }
    }

    private RoundRobinTestRouter start() throws IOException {
        replica = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread serving = new Thread(this::accept, "gone-replica");
        serving.setDaemon(true);
        serving.start();
        successor = ScriptedBackend.answering("successor");
        RoundRobinTestRouter router = new RoundRobinTestRouter(replica.getLocalPort());
        gateway = transport.start(Gateway.builder().responseTimeout(RESPONSE_TIMEOUT).router(router),
                ConnectorSettings.ONE_LOOP);
        return router;
    }

    @Test
    void theIdleConnectionToAReplicaThatLeftTheRouterIsClosed() throws Exception {
        RoundRobinTestRouter router = start();
        try (RawHttpClient http = new RawHttpClient(gateway.port())) {
            assertThat(http.send("GET /a HTTP/1.1\r\nHost: h\r\n\r\n").read().body()).isEqualTo("ok");
        }

        router.offerOnly(Endpoint.loopback(successor.port())); // the replica leaves; its connection stays pooled

        await().atMost(Duration.ofSeconds(10)).until(() -> closedByGateway.get() == 1);
        try (RawHttpClient http = new RawHttpClient(gateway.port())) {
            assertThat(http.send("GET /b HTTP/1.1\r\nHost: h\r\n\r\n").read().body()).isEqualTo("successor");
        }
        assertThat(accepted).hasValue(1);
    }

    @Test
    void aRequestInFlightToAReplicaThatLeftFinishesAndOnlyThenIsItsConnectionClosed() throws Exception {
        RoundRobinTestRouter router = start();
        try (RawHttpClient slow = new RawHttpClient(gateway.port());
             RawHttpClient quick = new RawHttpClient(gateway.port())) {
            slow.send("GET /slow HTTP/1.1\r\nHost: h\r\n\r\n");
            await().atMost(Duration.ofSeconds(10)).until(() -> accepted.get() == 1);
            // a second connection, as the first carries /slow; idle once answered
            assertThat(quick.send("GET /a HTTP/1.1\r\nHost: h\r\n\r\n").read().body()).isEqualTo("ok");
            assertThat(accepted).hasValue(2);

            router.offerOnly(Endpoint.loopback(successor.port()));

            await().atMost(Duration.ofSeconds(10)).until(() -> closedByGateway.get() == 1); // the idle one
            CompletableFuture<RawHttpClient.Response> answer = CompletableFuture.supplyAsync(() -> {
                try {
                    return slow.read();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            slowAnswer.countDown();
            assertThat(answer.get(10, TimeUnit.SECONDS).body()).isEqualTo("slow");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> closedByGateway.get() == 2); // then the other
    }

    /** Takes connections, each served on a thread of its own. */
    private void accept() {
        try {
            while (true) {
                Socket socket = replica.accept();
                accepted.incrementAndGet();
                Thread connection = new Thread(() -> serve(socket), "gone-replica-connection");
                connection.setDaemon(true);
                connection.start();
            }
        } catch (IOException e) {
            // the test ended
        }
    }

    /**
     * Answers each request on {@code socket} ({@code /slow} once released), and notes when the
     * gateway closes it.
     */
    private void serve(Socket socket) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            for (String target = readHead(in); target != null; target = readHead(in)) {
                String body = "ok";
                if (target.equals("/slow")) {
                    slowAnswer.await();
                    body = "slow";
                }
                out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            closedByGateway.incrementAndGet();
        } catch (IOException | InterruptedException e) {
            // the test ended first
        }
    }

    /** Reads a request head and returns its target, or null when the connection ended before one. */
    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b == -1) {
                if (head.isEmpty()) {
                    return null;
                }
                throw new IOException("the request head ended early");
            }
            head.append((char) b);
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
        }
        return head.toString().split(" ", 3)[1];
    }
}
