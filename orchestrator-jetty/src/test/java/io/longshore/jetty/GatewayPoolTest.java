package io.longshore.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.longshore.testkit.RawHttpClient;
import io.longshore.testkit.ScriptedBackend;
import io.longshore.testkit.ScriptedResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The per-replica connection limit: requests beyond it wait for a connection, but not forever. */
@ParameterizedClass
@EnumSource(Transport.class)
class GatewayPoolTest {
    @Parameter
    Transport transport;
    private final List<ScriptedBackend> backends = new ArrayList<>();
    private TestGateway gateway;
    private final ExecutorService clients = Executors.newFixedThreadPool(4);
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        clients.shutdownNow();
        if (gateway != null) {
            gateway.close();
        }
        for (ScriptedBackend backend : backends) {
            backend.close();
        }
    }

    private ScriptedBackend add(ScriptedBackend backend) {
        backends.add(backend);
        return backend;
    }

    private ScriptedBackend holding(String body) {
        return ScriptedBackend.start(request -> {
            release.await();
            return ScriptedResponse.ok(body);
        });
    }

    private Future<RawHttpClient.Response> get(String path) {
        return clients.submit(() -> {
            try (RawHttpClient http = new RawHttpClient(gateway.port())) {
                return http.send("GET " + path + " HTTP/1.1\r\nHost: h\r\n\r\n").read();
            }
        });
    }

    @Test
    void requestsBeyondTheConnectionLimitWaitTheirTurnOnTheSameConnection() throws Exception {
        ScriptedBackend backend = add(holding("ok"));
        gateway = transport.start(Gateway.builder().connectionsPerBackend(1).connectTimeout(Duration.ofSeconds(10))
                .router(new RoundRobinTestRouter(backend.port())), ConnectorSettings.ONE_LOOP);

        List<Future<RawHttpClient.Response>> answers = new ArrayList<>();
        answers.add(get("/q0"));
        await().atMost(Duration.ofSeconds(5)).until(() -> backend.requests().size() == 1);
        for (int i = 1; i < 4; i++) {
            answers.add(get("/q" + i));
        }
        assertThat(backend.connections()).isEqualTo(1); // the others wait in the gateway
        release.countDown();
        for (Future<RawHttpClient.Response> answer : answers) {
            assertThat(answer.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
        }

        assertThat(backend.requests()).hasSize(4);
        assertThat(backend.connections()).isEqualTo(1);
    }

    /**
     * The wait's lease is reported {@code CANCELLED}, not {@code CONNECT} as it once was: every
     * connection to the replica being in use is the gateway's own limit, and a busy replica
     * counted as refusing would be ejected after a streak of them (its load then moving to the
     * others, which would go the same way).
     */
    @Test
    void aRequestThatFindsNoFreeConnectionInTimeGoesToAnotherReplicaWithoutCountingAgainstTheBusyOne()
            throws Exception {
        ScriptedBackend busy = add(holding("busy"));
        ScriptedBackend free = add(ScriptedBackend.answering("free"));
        RoundRobinTestRouter router = new RoundRobinTestRouter(busy.port(), free.port());
        gateway = transport.start(Gateway.builder().connectionsPerBackend(1).connectTimeout(Duration.ofMillis(300))
                .router(router), ConnectorSettings.ONE_LOOP);

        Future<RawHttpClient.Response> first = get("/a"); // holds the busy replica's only connection
        await().atMost(Duration.ofSeconds(5)).until(() -> busy.requests().size() == 1);
        RawHttpClient.Response second = get("/b").get(10, TimeUnit.SECONDS); // round robin: the free replica
        RawHttpClient.Response third = get("/c").get(10, TimeUnit.SECONDS); // the busy one: waits, then goes elsewhere

        assertThat(second.body()).isEqualTo("free");
        assertThat(third.body()).isEqualTo("free");
        release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS).body()).isEqualTo("busy");
        assertThat(router.outcomes()).contains("replica-" + busy.port() + "=CANCELLED")
                .doesNotContain("replica-" + busy.port() + "=CONNECT");
        assertThat(busy.requests()).hasSize(1);
    }
}
