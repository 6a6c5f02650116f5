package io.longshore.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.longshore.api.Backend;
import io.longshore.api.Clock;
import io.longshore.api.LoadMetrics;
import io.longshore.api.RouteRequest;
import io.longshore.core.Lease;
import io.longshore.core.Router;
import io.longshore.testkit.RawHttpClient;
import io.longshore.testkit.ScriptedBackend;
import io.longshore.testkit.ScriptedResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The gateway's edges that its own code, rather than a peer, could get wrong, on both
 * transports: an exception out of the forwarding path fails that request alone (502, its place
 * and its replica let go), heads
 * whose lines end in a bare LF grow when written with CRLF, the gateway's own answers to HEAD
 * carry no body, and an HTTP/1.0 client never gets a {@code Transfer-Encoding}.
 */
@ParameterizedClass
@EnumSource(Transport.class)
class GatewayFaultTest {
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

    @Test
    void anExceptionOnTheForwardingPathAnswers502AndTheRequestsPlaceIsFreedForTheNext() throws Exception {
        backend = ScriptedBackend.answering("ok");
        RoundRobinTestRouter inner = new RoundRobinTestRouter(backend.port());
        OnceFaultyRouter router = new OnceFaultyRouter(inner, false);
        // one request at a time: a request the failure left in flight would turn the next away with 503
        gateway = transport.start(Gateway.builder().router(router).maxConcurrentRequests(1),
                ConnectorSettings.ONE_LOOP);

        try (RawHttpClient http = new RawHttpClient(gateway.port())) {
            RawHttpClient.Response failed = http.send("GET /a HTTP/1.1\r\nHost: h\r\n\r\n").read();
            RawHttpClient.Response next = http.send("GET /b HTTP/1.1\r\nHost: h\r\n\r\n").read();

            assertThat(router.thrown).isTrue();
            assertThat(failed.status()).isEqualTo(502);
            assertThat(failed.body()).contains("gateway failed to forward the request");
            assertThat(next.status()).isEqualTo(200);
            assertThat(next.body()).isEqualTo("ok");
        }
        assertThat(backend.requests()).extracting(r -> r.target()).containsExactly("/b");
        assertThat(gateway.meterRegistry().scrape()).contains("kind=\"internal\"");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(inner.leases)
                .allSatisfy(lease -> assertThat(lease.reports.get()).as("reports of a lease").isEqualTo(1)));
    }

    @Test
    void anExceptionOnTheUpgradePathAnswers502AndTheRequestsPlaceIsFreedForTheNext() throws Exception {
        backend = ScriptedBackend.answering("ok");
        RoundRobinTestRouter inner = new RoundRobinTestRouter(backend.port());
        OnceFaultyRouter router = new OnceFaultyRouter(inner, false);
        gateway = transport.start(Gateway.builder().router(router).maxConcurrentRequests(1),
                ConnectorSettings.ONE_LOOP);

        try (RawHttpClient http = new RawHttpClient(gateway.port())) {
            RawHttpClient.Response failed = http.send("GET /ws HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\n"
                    + "Upgrade: websocket\r\n\r\n").read();

            assertThat(router.thrown).isTrue();
            assertThat(failed.status()).isEqualTo(502);
        }
        try (RawHttpClient http = new RawHttpClient(gateway.port())) {
            RawHttpClient.Response next = http.send("GET /b HTTP/1.1\r\nHost: h\r\n\r\n").read();

            assertThat(next.status()).isEqualTo(200);
        }
        assertThat(backend.requests()).extracting(r -> r.target()).containsExactly("/b");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(inner.leases)
                .allSatisfy(lease -> assertThat(lease.reports.get()).as("reports of a lease").isEqualTo(1)));
    }

    /**
     * The router's clock breaks once the replica has the request: reading it for the answer's
     * report fails (the first fault), and so does reading it again while the gateway ends the
     * exchange with its lease (a second fault, within the first one's handling). The lease is let
     * go of all the same, once, so the replica does not count the request in flight for good.
     */
    @Test
    void aSecondFaultWhileEndingAFaultyExchangeStillLetsGoOfItsLeaseOnce() throws Exception {
        AtomicBoolean clockBroken = new AtomicBoolean();
        backend = ScriptedBackend.start(request -> {
            clockBroken.set(true);
            return ScriptedResponse.ok("ok");
        });
        RoundRobinTestRouter router = routerWithBreakingClock(backend.port(), clockBroken);
        gateway = transport.start(Gateway.builder().router(router), ConnectorSettings.ONE_LOOP);

        try (RawHttpClient http = new RawHttpClient(gateway.port())) {
            http.send("GET /a HTTP/1.1\r\nHost: h\r\n\r\n");
            await().atMost(Duration.ofSeconds(5)).until(() -> backend.requests().size() == 1);

            awaitLeaseLetGoOfOnceAsCancelled(router);
        }
    }

    /**
     * The router's clock breaks once the replica has an upgrade request, so taking the replica's
     * 101 fails (a defect on the replica's side of the upgrade), and so does reading the clock
     * again while the gateway ends the exchange. Nothing went to the client yet, so it gets 502
     * (embedded) or, the engine's 502 failing on the same clock, its connection closed, and the lease is let go of once, as cancelled: the replica is not left counting the upgrade
     * in flight for good.
     */
    @Test
    void aFaultWhenTheReplicaSwitchesProtocolsEndsTheRequestAndLetsGoOfTheLeaseOnce() throws Exception {
        AtomicBoolean clockBroken = new AtomicBoolean();
        try (RawUpgradeReplica replica = RawUpgradeReplica.start(false, () -> clockBroken.set(true))) {
            RoundRobinTestRouter router = routerWithBreakingClock(replica.port(), clockBroken);
            gateway = transport.start(Gateway.builder().router(router), ConnectorSettings.ONE_LOOP);

            try (RawHttpClient http = new RawHttpClient(gateway.port())) {
                http.send(RawUpgradeReplica.UPGRADE);
                if (transport == Transport.EMBEDDED) {
                    assertThat(http.read().status()).isEqualTo(502);
                } else {
                    // the engine's 502 itself reads the broken clock (the lease's report): a second
                    // fault, after which the client's connection is closed rather than left waiting
                    assertThat(http.isClosedByPeer()).isTrue();
                }
            }
            awaitLeaseLetGoOfOnceAsCancelled(router);
        }
    }

    /** A router to the replica on {@code port} whose clock throws once {@code clockBroken} is set. */
    private static RoundRobinTestRouter routerWithBreakingClock(int port, AtomicBoolean clockBroken) {
        return new RoundRobinTestRouter(port) {
            @Override
            public Clock clock() {
                return new BreakingClock(clockBroken);
            }
        };
    }

    /**
     * Awaits {@code router}'s one lease let go of once, as cancelled, with nothing left in flight on
     * its replica, no report of a lease not held, and the defect counted as internal.
     */
    private void awaitLeaseLetGoOfOnceAsCancelled(RoundRobinTestRouter router) {
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(router.leases)
                .singleElement().satisfies(lease -> {
                    assertThat(lease.reports.get()).as("reports of the lease").isEqualTo(1);
                    assertThat(lease.outcome).isEqualTo(Lease.Failure.CANCELLED);
                }));
        assertThat(router.routable().get(0).inFlight()).isZero();
        assertThat(router.strayReports.get()).isZero();
        assertThat(gateway.meterRegistry().scrape()).contains("kind=\"internal\"");
    }

    /** The system clock until {@code broken} is set, then a clock whose {@code nanoTime} throws. */
    private record BreakingClock(AtomicBoolean broken) implements Clock {
        @Override
        public long nanoTime() {
            if (broken.get()) {
                throw new IllegalStateException("a router clock that broke");
            }
            return Clock.system().nanoTime();
        }

        @Override
        public Instant instant() {
            return Clock.system().instant();
        }
    }

    @Test
    void aRouterThatThrowsWhenToldTheOutcomeCostsTheClientNothing() throws Exception {
        backend = ScriptedBackend.answering("ok");
        OnceFaultyRouter router = new OnceFaultyRouter(new RoundRobinTestRouter(backend.port()), true);
        gateway = transport.start(Gateway.builder().router(router), ConnectorSettings.ONE_LOOP);

        try (RawHttpClient http = new RawHttpClient(gateway.port())) {
            RawHttpClient.Response first = http.send("GET /a HTTP/1.1\r\nHost: h\r\n\r\n").read();
            RawHttpClient.Response second = http.send("GET /b HTTP/1.1\r\nHost: h\r\n\r\n").read();

            assertThat(router.thrown).isTrue();
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.body()).isEqualTo("ok");
            assertThat(second.status()).isEqualTo(200);
        }
    }

    @Test
    void requestAndResponseHeadsOfBareLineFeedsGoOnWhole() throws Exception {
        // embedded, the host server's own response-head limit (HttpConfiguration.setResponseHeaderSize)
        // decides how large a head its clients may get
        assumeTrue(transport == Transport.STANDALONE);
        StringBuilder fields = new StringBuilder();
        while (fields.length() < 15_900) {
            fields.append("a:\n"); // each becomes "a:\r\n": about 5 300 bytes more than was read
        }
        backend = ScriptedBackend.start(request -> ScriptedResponse.raw("HTTP/1.1 200 OK\nContent-Length: 2\n"
                + fields + "\nok"));
        gateway = transport.start(Gateway.builder().router(new RoundRobinTestRouter(backend.port())),
                ConnectorSettings.ONE_LOOP.withMaxHeaderBytes(64 * 1024));

        try (RawHttpClient http = new RawHttpClient(gateway.port())) {
            RawHttpClient.Response response = http.send("GET / HTTP/1.1\nHost: h\n" + fields + "\n").read();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("ok");
        }
        assertThat(backend.requests()).singleElement()
                .satisfies(r -> assertThat(r.headers("a")).hasSize(fields.length() / 3));
    }

    @Test
    void theGatewaysOwnAnswerToHeadHasNoBodySoTheNextResponseOnTheConnectionReadsRight() throws Exception {
        gateway = transport.start(Gateway.builder().router(new RoundRobinTestRouter()),
                ConnectorSettings.ONE_LOOP);

        try (RawHttpClient http = new RawHttpClient(gateway.port())) {
            RawHttpClient.Response head = http.send("HEAD / HTTP/1.1\r\nHost: h\r\n\r\n").read(true);
            RawHttpClient.Response get = http.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n").read();

            assertThat(head.status()).isEqualTo(503);
            assertThat(Integer.parseInt(head.header("Content-Length"))).as("the GET's length").isPositive();
            assertThat(get.statusLine()).startsWith("HTTP/1.1 503");
            assertThat(get.body()).contains("no replica available");
        }
    }

    @Test
    void anHttp10ClientGetsNoTransferEncodingAndNoBodyCodedOtherThanChunked() throws Exception {
        backend = ScriptedBackend.start(request -> ScriptedResponse.raw(switch (request.target()) {
            case "/gzip" -> "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n2\r\nzz\r\n0\r\n\r\n";
            default -> "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + (request.method().equals("HEAD") ? "" : "2\r\nok\r\n0\r\n\r\n");
        }));
        gateway = transport.start(Gateway.builder().router(new RoundRobinTestRouter(backend.port())),
                ConnectorSettings.ONE_LOOP);

        RawHttpClient.Response head;
        RawHttpClient.Response get;
        RawHttpClient.Response gzip;
        try (RawHttpClient http = new RawHttpClient(gateway.port())) {
            head = http.send("HEAD / HTTP/1.0\r\n\r\n").read(true);
        }
        try (RawHttpClient http = new RawHttpClient(gateway.port())) {
            get = http.send("GET / HTTP/1.0\r\n\r\n").read();
        }
        try (RawHttpClient http = new RawHttpClient(gateway.port())) {
            gzip = http.send("GET /gzip HTTP/1.0\r\n\r\n").read();
        }

        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("Transfer-Encoding")).isNull();
        assertThat(get.header("Transfer-Encoding")).isNull();
        assertThat(get.body()).isEqualTo("ok");
        assertThat(gzip.status()).isEqualTo(502);
    }

    @Test
    void theTrailerFieldGoesOnWithTheTrailersItAnnounces() throws Exception {
        backend = ScriptedBackend.start(request -> ScriptedResponse.raw("HTTP/1.1 200 OK\r\nTrailer: X-Sum\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\nX-Sum: 1\r\n\r\n"));
        gateway = transport.start(Gateway.builder().router(new RoundRobinTestRouter(backend.port())),
                ConnectorSettings.ONE_LOOP);

        try (RawHttpClient http = new RawHttpClient(gateway.port())) {
            RawHttpClient.Response response = http.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n").read();

            assertThat(response.header("Trailer")).isEqualTo("X-Sum");
            assertThat(response.body()).isEqualTo("ok");
        }
    }

    /**
     * A router whose lease throws once: from {@link Lease#backend()} the first time a request
     * holds one (a stand-in for a defect on the engine's forwarding path, which reads the held
     * backend as it starts the attempt), or from {@link Lease#complete} the first time it is told
     * an outcome (a user's router at fault; its lease is still let go of).
     */
    static final class OnceFaultyRouter implements Router {
        private final Router inner;
        private final boolean onComplete;
        final AtomicBoolean thrown = new AtomicBoolean();

        OnceFaultyRouter(Router inner, boolean onComplete) {
            this.inner = inner;
            this.onComplete = onComplete;
        }

        @Override
        public Lease newLease() {
            Lease lease = inner.newLease();
            return new Lease() {
                @Override
                public boolean acquire(RouteRequest request, Backend excluded, long nowNanos) {
                    return lease.acquire(request, excluded, nowNanos);
                }

                @Override
                public boolean isHeld() {
                    return lease.isHeld();
                }

                @Override
                public Backend backend() {
                    if (!onComplete && lease.isHeld() && thrown.compareAndSet(false, true)) {
                        throw new IllegalStateException("a defect on the forwarding path");
                    }
                    return lease.backend();
                }

                @Override
                public void complete(int status, long nowNanos) {
                    lease.complete(status, nowNanos);
                    if (onComplete && thrown.compareAndSet(false, true)) {
                        throw new IllegalStateException("a router that fails to take an outcome");
                    }
                }

                @Override
                public void fail(Failure failure, long nowNanos) {
                    lease.fail(failure, nowNanos);
                }
            };
        }

        @Override
        public List<Backend> routable() {
            return inner.routable();
        }

        @Override
        public LoadMetrics metrics() {
            return inner.metrics();
        }
    }
}
