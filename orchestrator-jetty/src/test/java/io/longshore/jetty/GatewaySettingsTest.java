package io.longshore.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.longshore.testkit.ManualClock;
import io.longshore.testkit.ScriptedBackend;
import io.longshore.testkit.ScriptedResponse;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The injected clock and randomness are the ones the gateway uses, in both transports. */
@ParameterizedClass
@EnumSource(Transport.class)
class GatewaySettingsTest {
    @Parameter
    Transport transport;
    private HttpClient client;
    private final List<ScriptedBackend> backends = new CopyOnWriteArrayList<>();
    private TestGateway gateway;

    @BeforeEach
    void startClient() {
        client = TestSupport.client();
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        backends.forEach(ScriptedBackend::close);
        TestSupport.stop(client);
    }

    private ScriptedBackend backend(ScriptedBackend.Dispatcher dispatcher) {
        ScriptedBackend backend = ScriptedBackend.start(dispatcher);
        backends.add(backend);
        return backend;
    }

    /** A source that records which threads read it: the gateway must only seed its own generators from it. */
    private static final class RecordingSource implements RandomGenerator {
        private final SplittableRandom random = new SplittableRandom(11);
        final List<Thread> readers = new CopyOnWriteArrayList<>();

        @Override
        public long nextLong() {
            readers.add(Thread.currentThread());
            return random.nextLong();
        }
    }

    @Test
    void theRandomSourceIsReadOnceWhenTheGatewayIsBuiltAndNeverByItsEventLoops() throws Exception {
        ScriptedBackend failing = backend(request -> ScriptedResponse.status(503));
        ScriptedBackend working = backend(request -> ScriptedResponse.ok("up"));
        RecordingSource source = new RecordingSource();
        gateway = transport.start(Gateway.builder().random(source).maxRetryBackoff(Duration.ofMillis(5))
                .router(new GatewayRetryAfterEjectionTest.FirstChoiceRouter(failing.endpoint(), working.endpoint())));

        for (int i = 0; i < 5; i++) {
            assertThat(TestSupport.to(client, gateway, "/r" + i).timeout(10, TimeUnit.SECONDS).send()
                    .getContentAsString()).isEqualTo("up");
        }

        assertThat(failing.requests()).hasSize(5); // every request was retried after a random pause
        assertThat(source.readers).containsExactly(Thread.currentThread());
    }

    @Test
    void requestLatencyIsMeasuredWithTheGatewaysClock() throws Exception {
        ManualClock clock = new ManualClock();
        CountDownLatch release = new CountDownLatch(1);
        ScriptedBackend slow = backend(request -> {
            release.await();
            return ScriptedResponse.ok("done");
        });
        gateway = transport.start(Gateway.builder().clock(clock).router(new RoundRobinTestRouter(slow.port())));

        CompletableFuture<ContentResponse> response = new CompletableResponseListener(
                TestSupport.to(client, gateway, "/timed")).send();
        await().atMost(Duration.ofSeconds(5)).until(() -> slow.requests().size() == 1);
        clock.advance(Duration.ofSeconds(5));
        release.countDown();

        assertThat(response.get(10, TimeUnit.SECONDS).getContentAsString()).isEqualTo("done");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(gateway.meterRegistry()
                .get("longshore.gateway.request.duration").timer().totalTime(TimeUnit.SECONDS)).isEqualTo(5.0));
    }

    /** A tunnel's request took its handshake: on the gateway's clock, whatever the router's. */
    @Test
    void aTunnelsLatencyIsItsHandshakeOnTheGatewaysClock() throws Exception {
        ManualClock clock = new ManualClock();
        try (RawUpgradeReplica replica = RawUpgradeReplica.start(true)) {
            gateway = transport.start(Gateway.builder().clock(clock).router(new RoundRobinTestRouter(replica.port())));

            try (Socket tunnel = new Socket("127.0.0.1", gateway.port())) {
                tunnel.setSoTimeout(10_000);
                tunnel.getOutputStream().write(RawUpgradeReplica.UPGRADE.getBytes(StandardCharsets.US_ASCII));
                assertThat(RawUpgradeReplica.head(tunnel.getInputStream())).startsWith("HTTP/1.1 101");
                clock.advance(Duration.ofSeconds(5)); // the tunnel's life, not its handshake
                tunnel.shutdownOutput();
                assertThat(new String(tunnel.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                        .isEqualTo("got:");
            }

            await().atMost(Duration.ofSeconds(5)).until(() -> gateway.meterRegistry()
                    .get("longshore.gateway.request.duration").timer().count() == 1);
            assertThat(gateway.meterRegistry().get("longshore.gateway.request.duration").timer()
                    .totalTime(TimeUnit.SECONDS)).isEqualTo(0.0);
        }
    }
}
