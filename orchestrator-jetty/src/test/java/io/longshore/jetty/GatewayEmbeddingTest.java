package io.longshore.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.longshore.api.ReplicaState;
import io.longshore.core.ReplicaView;
import io.longshore.jetty.internal.metrics.ServiceMetrics;
import io.longshore.testkit.ManualClock;
import io.longshore.testkit.ScriptedBackend;
import io.longshore.testkit.ScriptedResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The embedded gateway as a host mounts it, as docs/gateway.md shows: the host server owns its lifecycle. */
class GatewayEmbeddingTest {
    private HttpClient client;
    private ScriptedBackend backend;
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void start() {
        client = TestSupport.client();
        backend = ScriptedBackend.start(request -> {
            if (request.target().equals("/slow")) {
                release.await();
            }
            return ScriptedResponse.ok("hello");
        });
    }

    @AfterEach
    void stop() {
        release.countDown();
        TestSupport.stop(client);
        backend.close();
    }

    private static Server host(Gateway gateway) throws Exception {
        Server host = new Server();
        ServerConnector connector = new ServerConnector(host);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        host.addConnector(connector);
        host.setHandler(gateway.handler());
        host.setStopTimeout(10_000);
        host.start();
        return host;
    }

    private static int port(Server host) {
        return ((ServerConnector) host.getConnectors()[0]).getLocalPort();
    }

    @Test
    void theProxyHandlerCanBeMountedInAHostsOwnServer() throws Exception {
        Gateway gateway = Gateway.builder().embedded().router(new RoundRobinTestRouter(backend.port())).build().start();
        Server host = host(gateway);
        try {
            ContentResponse response = client.newRequest("http://127.0.0.1:" + port(host) + "/x").send();

            assertThat(response.getStatus()).isEqualTo(200);
            assertThat(response.getContentAsString()).isEqualTo("hello");
            assertThat(gateway.port()).isEqualTo(-1);
            assertThat(gateway.adminPort()).isEqualTo(-1);
        } finally {
            host.stop();
            gateway.close();
        }
    }

    @Test
    void aGoneReplicasSeriesEndOneGraceLaterWithNoAdminHandlerMounted() throws Exception {
        ManualClock clock = new ManualClock();
        FakeOrchestrator api = new FakeOrchestrator("api", new RoundRobinTestRouter(backend.port()));
        String replica = "replica-" + backend.port();
        api.replicas = List.of(new ReplicaView(replica, "c0", backend.port(), ReplicaState.READY, true, 0, 0,
                clock.instant(), 0));
        Gateway gateway = Gateway.builder().embedded().clock(clock).route("/api", api).build().start();
        Server host = host(gateway);
        try {
            assertThat(client.newRequest("http://127.0.0.1:" + port(host) + "/api/x").send().getStatus()).isEqualTo(200);
            assertThat(gateway.meterRegistry().scrape()).contains("replica=\"" + replica + "\"");

            api.replicas = List.of();

            // the gateway's own sweeper, not the admin feed, ends the series once the grace has
            // passed on the gateway's clock
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                clock.advance(ServiceMetrics.GONE_REPLICA_GRACE);
                assertThat(gateway.meterRegistry().scrape()).doesNotContain(replica);
            });
        } finally {
            host.stop();
            gateway.close();
        }
    }

    @Test
    void aStartedEmbeddedGatewayRunsNoThreadOfItsOwn() throws Exception {
        ManualClock clock = new ManualClock();
        FakeOrchestrator api = new FakeOrchestrator("api", new RoundRobinTestRouter(backend.port()));
        Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());

        Gateway gateway = Gateway.builder().embedded().clock(clock).route("/api", api).build().start();
        try {
            // the gateway's threads are all named longshore-*; an embedded one sweeps its metrics
            // on the host server's scheduler, which runs only once a host starts the handler
            assertThat(Thread.getAllStackTraces().keySet()).filteredOn(thread -> !before.contains(thread))
                    .extracting(Thread::getName).noneMatch(name -> name.startsWith("longshore"));
        } finally {
            gateway.close();
        }
    }

    @Test
    void aStoppingHostServerWaitsForTheRequestsInFlight() throws Exception {
        Gateway gateway = Gateway.builder().embedded().router(new RoundRobinTestRouter(backend.port())).build().start();
        Server host = host(gateway);
        CompletableFuture<ContentResponse> inFlight = new CompletableResponseListener(
                client.newRequest("http://127.0.0.1:" + port(host) + "/slow")).send();
        await().atMost(Duration.ofSeconds(5)).until(() -> backend.requests().size() == 1);

        CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> {
            try {
                host.stop();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(host::isStopping);
        release.countDown();
        stopping.get(10, TimeUnit.SECONDS);
        gateway.close();

        assertThat(inFlight.get(5, TimeUnit.SECONDS).getContentAsString()).isEqualTo("hello");
    }
}
