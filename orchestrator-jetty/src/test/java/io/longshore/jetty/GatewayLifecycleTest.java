package io.longshore.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import io.longshore.api.ReplicaState;
import io.longshore.core.ReplicaView;
import io.longshore.jetty.internal.metrics.ServiceMetrics;
import io.longshore.testkit.ManualClock;
import io.longshore.testkit.ScriptedBackend;
import io.longshore.testkit.ScriptedResponse;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass
@EnumSource(Transport.class)
class GatewayLifecycleTest {
    private static HttpClient client;
    @Parameter
    Transport transport;
    private ScriptedBackend backend;

    @BeforeAll
    static void startClient() {
        client = TestSupport.client();
    }

    @AfterAll
    static void stopClient() {
        TestSupport.stop(client);
    }

    @AfterEach
    void stopBackend() {
        if (backend != null) {
            backend.close();
        }
    }

    @Test
    void startAndCloseAreIdempotentAndCloseOnlyTheOrchestratorsTheGatewayOwns() {
        backend = ScriptedBackend.answering("hello");
        FakeOrchestrator owned = new FakeOrchestrator("owned", new RoundRobinTestRouter(backend.port()));
        FakeOrchestrator borrowed = new FakeOrchestrator("borrowed", new RoundRobinTestRouter(backend.port()));
        TestGateway test = transport.start(Gateway.builder().route("/a", owned, Ownership.OWNED).route("/b", borrowed));
        Gateway gateway = test.gateway();

        gateway.start();
        gateway.close();
        test.close();

        assertThat(owned.starts).hasValue(1);
        assertThat(owned.closes).hasValue(1);
        assertThat(borrowed.starts).hasValue(0);
        assertThat(borrowed.closes).hasValue(0);
        assertThatThrownBy(gateway::start).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anOwnedOrchestratorThatFailsToStartClosesTheGatewayAndItsListeners() throws Exception {
        assumeThat(transport).isEqualTo(Transport.STANDALONE);
        backend = ScriptedBackend.answering("hello");
        FakeOrchestrator owned = new FakeOrchestrator("owned", new RoundRobinTestRouter(backend.port()));
        owned.startFailure = new IllegalStateException("the runtime is gone");
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Gateway gateway = Gateway.builder().route("/", owned, Ownership.OWNED).port(port).adminEnabled(false).build();

        assertThatThrownBy(gateway::start).hasMessage("the runtime is gone");

        assertThat(owned.closes).hasValue(1);
        assertThatThrownBy(gateway::start).isInstanceOf(IllegalStateException.class).hasMessage("gateway is closed");
        // the listener was closed: the port can be bound again
        try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
    }

    @Test
    void closeLetsInFlightRequestsFinish() throws Exception {
        CountDownLatch answer = new CountDownLatch(1);
        backend = ScriptedBackend.start(request -> {
            answer.await();
            return ScriptedResponse.ok("late");
        });
        try (TestGateway gateway = transport.start(Gateway.builder().router(new RoundRobinTestRouter(backend.port()))
                .shutdownTimeout(Duration.ofSeconds(10)))) {
            CompletableFuture<ContentResponse> inFlight = new CompletableResponseListener(
                    TestSupport.to(client, gateway, "/late")).send();
            await().atMost(Duration.ofSeconds(5)).until(() -> backend.requests().size() == 1);

            CompletableFuture<Void> closing = CompletableFuture.runAsync(gateway.gateway()::close);
            answer.countDown();
            closing.get(10, TimeUnit.SECONDS);

            ContentResponse response = inFlight.get(5, TimeUnit.SECONDS);
            assertThat(response.getStatus()).isEqualTo(200);
            assertThat(response.getContentAsString()).isEqualTo("late");
        }
    }

    @Test
    void closeGivesUpOnRequestsStillInFlightAfterTheShutdownTimeout() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        backend = ScriptedBackend.start(request -> {
            never.await();
            return ScriptedResponse.ok("never");
        });
        TestGateway gateway = transport.start(Gateway.builder().router(new RoundRobinTestRouter(backend.port()))
                .shutdownTimeout(Duration.ofMillis(200)));
        try {
            new CompletableResponseListener(TestSupport.to(client, gateway, "/stuck")).send();
            await().atMost(Duration.ofSeconds(5)).until(() -> backend.requests().size() == 1);

            CompletableFuture<Void> closing = CompletableFuture.runAsync(gateway.gateway()::close);

            closing.get(5, TimeUnit.SECONDS); // without the timeout, close would wait for the request forever
            assertThat(never.getCount()).isEqualTo(1);
        } finally {
            never.countDown();
            gateway.close();
        }
    }

    @Test
    void aGoneReplicasSeriesEndOneGraceLaterSweptOnATimerTheGatewayAlreadyRuns() throws Exception {
        backend = ScriptedBackend.answering("hello");
        ManualClock clock = new ManualClock();
        FakeOrchestrator api = new FakeOrchestrator("api", new RoundRobinTestRouter(backend.port()));
        String replica = "replica-" + backend.port();
        api.replicas = List.of(new ReplicaView(replica, "c0", backend.port(), ReplicaState.READY, true, 0, 0,
                clock.instant(), 0));
        try (TestGateway gateway = transport.start(Gateway.builder().clock(clock).route("/api", api))) {
            assertThat(TestSupport.to(client, gateway, "/api/x").send().getStatus()).isEqualTo(200);
            assertThat(gateway.meterRegistry().scrape()).contains("replica=\"" + replica + "\"");

            api.replicas = List.of();

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                clock.advance(ServiceMetrics.GONE_REPLICA_GRACE);
                assertThat(gateway.meterRegistry().scrape()).doesNotContain(replica);
            });
        }
    }
}
