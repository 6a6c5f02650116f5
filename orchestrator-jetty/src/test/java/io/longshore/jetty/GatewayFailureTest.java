package io.longshore.jetty;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.eclipse.jetty.client.AsyncRequestContent;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

@ParameterizedClass
@EnumSource(Transport.class)
class GatewayFailureTest {
    private static WireMockServer first;
    private static WireMockServer second;
    private static HttpClient client;
    @Parameter
    Transport transport;
    private TestGateway gateway;

    @BeforeAll
    static void startBackends() {
        first = TestSupport.wireMock();
        second = TestSupport.wireMock();
        client = TestSupport.client();
    }

    @AfterAll
    static void stopBackends() {
        TestSupport.stop(client);
        first.stop();
        second.stop();
    }

    @BeforeEach
    void reset() {
        first.resetAll();
        second.resetAll();
    }

    @AfterEach
    void closeGateway() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private TestGateway start(GatewayBuilder builder) {
        return start(builder, ConnectorSettings.DEFAULTS);
    }

    private TestGateway start(GatewayBuilder builder, ConnectorSettings connector) {
        gateway = transport.start(builder, connector);
        return gateway;
    }

    private ContentResponse send(String method, String path) throws Exception {
        var request = TestSupport.to(client, gateway, path).method(method).timeout(10, TimeUnit.SECONDS);
        if (method.equals("POST")) {
            request.body(new StringRequestContent("payload"));
        }
        return request.send();
    }

    @Test
    void everyRequestSucceedsViaTheOtherReplicaWhenOneRefusesConnections() throws Exception {
        first.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("up")));
        RoundRobinTestRouter router = new RoundRobinTestRouter(TestSupport.closedPort(), first.port());
        start(Gateway.builder().router(router));

        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            statuses.add(send(i % 2 == 0 ? "GET" : "POST", "/r" + i).getStatus());
        }

        assertThat(statuses).containsOnly(200);
        first.verify(3, postRequestedFor(anyUrl()));
        assertThat(router.outcomes()).contains("replica-" + first.port() + "=200")
                .anyMatch(outcome -> outcome.endsWith("=CONNECT"));
        assertThat(router.leases).allSatisfy(lease -> assertThat(lease.reports.get()).isEqualTo(1));
        assertThat(router.strayReports).hasValue(0);
    }

    @Test
    void skipsEveryRefusingReplicaToReachTheOneThatAnswers() throws Exception {
        first.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("up")));
        RoundRobinTestRouter router = new RoundRobinTestRouter(TestSupport.closedPort(), TestSupport.closedPort(),
                first.port());
        start(Gateway.builder().router(router));

        for (int i = 0; i < 6; i++) {
            assertThat(send("POST", "/p" + i).getStatus()).isEqualTo(200);
        }
        first.verify(6, postRequestedFor(anyUrl()));
    }

    /** What a broken router throws: an exception, or an error the JVM goes on after. */
    static Stream<Supplier<Throwable>> routerFailures() {
        return Stream.of(() -> new IllegalStateException("broken router"), () -> new AssertionError("router assertion"));
    }

    @ParameterizedTest
    @MethodSource("routerFailures")
    void answers502WhenTheRouterItselfFails(Supplier<Throwable> failure) throws Exception {
        start(Gateway.builder().router(new RoundRobinTestRouter(first.port()) {
            @Override
            TestBackend pick(java.util.List<TestBackend> candidates) {
                Throwable thrown = failure.get();
                if (thrown instanceof Error error) {
                    throw error;
                }
                throw (RuntimeException) thrown;
            }
        }));

        assertThat(send("GET", "/").getStatus()).isEqualTo(502);
        assertThat(send("GET", "/").getStatus()).isEqualTo(502);
    }

    @Test
    void answers502WhenEveryReplicaRefusesConnections() throws Exception {
        start(Gateway.builder().router(new RoundRobinTestRouter(TestSupport.closedPort(), TestSupport.closedPort())));

        assertThat(send("GET", "/").getStatus()).isEqualTo(502);
        assertThat(send("POST", "/").getStatus()).isEqualTo(502);
    }

    @Test
    void answers503WithRetryAfterWhenNoReplicaIsRoutable() throws Exception {
        start(Gateway.builder().router(new RoundRobinTestRouter()));

        ContentResponse response = send("GET", "/");

        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeaders().get("Retry-After")).isEqualTo("1");
    }

    @Test
    void answers504WhenTheReplicaIsSlowerThanTheResponseTimeout() throws Exception {
        first.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withFixedDelay(3_000)));
        RoundRobinTestRouter router = new RoundRobinTestRouter(first.port());
        start(Gateway.builder().router(router).responseTimeout(Duration.ofMillis(300)));

        assertThat(send("GET", "/slow").getStatus()).isEqualTo(504);
        assertThat(router.outcomes()).containsExactly("replica-" + first.port() + "=TIMEOUT");
    }

    @Test
    void answers502WhenTheReplicaResetsTheConnection() throws Exception {
        first.stubFor(any(anyUrl()).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        RoundRobinTestRouter router = new RoundRobinTestRouter(first.port());
        start(Gateway.builder().router(router));

        assertThat(send("POST", "/reset").getStatus()).isEqualTo(502);
        assertThat(router.outcomes()).containsExactly("replica-" + first.port() + "=RESET");
    }

    @Test
    void answers502WhenTheReplicaBreaksOffMidResponse() throws Exception {
        first.stubFor(any(anyUrl()).willReturn(aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK)));
        second.stubFor(any(anyUrl()).willReturn(aResponse().withFault(Fault.RANDOM_DATA_THEN_CLOSE)));
        start(Gateway.builder().router(new RoundRobinTestRouter(first.port(), second.port())));

        assertThat(send("POST", "/a").getStatus()).isEqualTo(502);
        assertThat(send("POST", "/b").getStatus()).isEqualTo(502);
        first.verify(1, anyRequestedFor(anyUrl()));
        second.verify(1, anyRequestedFor(anyUrl()));
    }

    @Test
    void retriesAnIdempotentRequestOnAnotherReplicaAfter503ButNeverAPost() throws Exception {
        first.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(503).withBody("down")));
        second.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("up")));
        start(Gateway.builder().router(new RoundRobinTestRouter(first.port(), second.port())));

        List<Integer> gets = List.of(send("GET", "/g").getStatus(), send("GET", "/g").getStatus(),
                send("PUT", "/g").getStatus());
        List<Integer> posts = List.of(send("POST", "/p").getStatus(), send("POST", "/p").getStatus());

        assertThat(gets).containsOnly(200);
        assertThat(posts).containsExactlyInAnyOrder(200, 503);
        first.verify(1, postRequestedFor(anyUrl()));
        second.verify(1, postRequestedFor(anyUrl()));
    }

    @Test
    void retriesAGetOnAnotherReplicaAfterAResetBeforeAnyResponseByte() throws Exception {
        first.stubFor(any(anyUrl()).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        second.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("up")));
        RoundRobinTestRouter router = new RoundRobinTestRouter(first.port(), second.port());
        start(Gateway.builder().router(router));

        assertThat(send("GET", "/r").getContentAsString()).isEqualTo("up");
        assertThat(send("DELETE", "/r").getContentAsString()).isEqualTo("up");
        String reset = "replica-" + first.port() + "=RESET";
        String ok = "replica-" + second.port() + "=200";
        // the lease is reported when the replica's exchange completes, which may be just after the client has its answer
        await().atMost(Duration.ofSeconds(5)).untilAsserted(
                () -> assertThat(router.outcomes()).containsExactly(reset, ok, reset, ok));
    }

    @Test
    void retriesAGetWhoseReplicaBrokeOffBeforeAnyBodyByteReachedTheClient() throws Exception {
        first.stubFor(any(anyUrl()).willReturn(aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK)));
        second.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("whole")));
        start(Gateway.builder().router(new RoundRobinTestRouter(first.port(), second.port())));

        ContentResponse response = send("GET", "/m");

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getContentAsString()).isEqualTo("whole");
        first.verify(1, anyRequestedFor(anyUrl()));
    }

    @Test
    void retriesAGetOnAnotherReplicaWhenTheFirstTimesOut() throws Exception {
        first.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withFixedDelay(3_000)));
        second.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("fast")));
        start(Gateway.builder().router(new RoundRobinTestRouter(first.port(), second.port()))
                .responseTimeout(Duration.ofMillis(300)));

        ContentResponse response = send("GET", "/t");

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getContentAsString()).isEqualTo("fast");
    }

    @Test
    void doesNotRetryWhenTheRetryBudgetIsZero() throws Exception {
        first.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(503)));
        second.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
        start(Gateway.builder().router(new RoundRobinTestRouter(first.port(), second.port())).retryBudget(0));

        List<Integer> statuses = List.of(send("GET", "/").getStatus(), send("GET", "/").getStatus());

        assertThat(statuses).containsExactlyInAnyOrder(200, 503);
    }

    @Test
    void answers431WhenTheHeaderSectionIsTooLarge() throws Exception {
        start(Gateway.builder().router(new RoundRobinTestRouter(first.port())),
                ConnectorSettings.DEFAULTS.withMaxHeaderBytes(4096));

        ContentResponse response = TestSupport.to(client, gateway, "/").headers(h -> h.add("X-Big", "b".repeat(8_000)))
                .send();

        assertThat(response.getStatus()).isEqualTo(431);
        first.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void answers413WhenAFixedLengthBodyExceedsTheLimit() throws Exception {
        start(Gateway.builder().router(new RoundRobinTestRouter(first.port())).maxRequestBodyBytes(1_000));

        ContentResponse response = TestSupport.to(client, gateway, "/").method(HttpMethod.POST)
                .body(new StringRequestContent("x".repeat(2_000))).send();

        assertThat(response.getStatus()).isEqualTo(413);
        first.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void answers413WhenAChunkedBodyExceedsTheLimit() throws Exception {
        first.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
        start(Gateway.builder().router(new RoundRobinTestRouter(first.port())).maxRequestBodyBytes(1_000));
        AsyncRequestContent body = new AsyncRequestContent();
        var pending = new CompletableResponseListener(TestSupport.to(client, gateway, "/").method(HttpMethod.POST)
                .body(body)).send();
        for (int i = 0; i < 100; i++) { // 1.6 MB: still being sent when the 413 is decided
            body.write(java.nio.ByteBuffer.wrap(new byte[16_384]), Callback.NOOP);
        }
        body.close();

        assertThat(pending.get(10, TimeUnit.SECONDS).getStatus()).isEqualTo(413);
    }

    @Test
    void shedsLoadWith503AtOnceOverTheConcurrencyLimit() throws Exception {
        first.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withFixedDelay(1_500)));
        start(Gateway.builder().router(new RoundRobinTestRouter(first.port())).maxConcurrentRequests(1));
        CompletableFuture<ContentResponse> slow = new CompletableResponseListener(
                TestSupport.to(client, gateway, "/slow")).send();
        await().atMost(Duration.ofSeconds(5)).until(() -> first.getAllServeEvents().size() == 1);

        ContentResponse shed = send("GET", "/fast");

        assertThat(shed.getStatus()).isEqualTo(503);
        assertThat(shed.getHeaders().get("Retry-After")).isEqualTo("1");
        assertThat(slow.get(10, TimeUnit.SECONDS).getStatus()).isEqualTo(200);
        first.verify(1, anyRequestedFor(anyUrl()));
    }

    @Test
    void answers400ToAMalformedRequest() throws Exception {
        start(Gateway.builder().router(new RoundRobinTestRouter(first.port())));

        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            OutputStream out = socket.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: x\r\nThis is not a header\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String statusLine = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(statusLine).isEqualTo("HTTP/1.1 400");
        }
        first.verify(0, anyRequestedFor(anyUrl()));
    }
}
