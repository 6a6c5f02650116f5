package io.longshore.jetty;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A replica that dies under load costs no idempotent request: refused, reset and unanswered ones
 * go to the other.
 */
@ParameterizedClass
@EnumSource(Transport.class)
class GatewayReplicaLossTest {
    @Parameter
    Transport transport;
    private static final int CLIENTS = 8;
    private static final int REQUESTS_PER_CLIENT = 100;
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(10);
    /**
     * Well below the client's timeout. Stopping WireMock can leave a connection the victim's
     * kernel accepted but its stopped server never reads nor closes (seen: the request's bytes
     * unread in its receive queue, no FIN, no RST). To the gateway that replica is silent, like a
     * slow one, so the attempt ends only at the response timeout and then goes to the survivor;
     * with the default 30 s the client gave up first.
     */
    private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(3);

    @Test
    void noIdempotentRequestFailsWhenAReplicaStopsUnderLoad() throws Exception {
        WireMockServer survivor = TestSupport.wireMock();
        WireMockServer victim = TestSupport.wireMock();
        for (WireMockServer server : List.of(survivor, victim)) {
            // a fixed length, so a response is whole once its bytes are in (a stop cannot cut a chunked trailer)
            server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("ok")
                    .withHeader("Content-Length", "2")));
        }
        HttpClient client = TestSupport.client();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        AtomicInteger done = new AtomicInteger();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        try (TestGateway gateway = transport.start(Gateway.builder()
                .router(new RoundRobinTestRouter(survivor.port(), victim.port()))
                .responseTimeout(RESPONSE_TIMEOUT))) {
            List<Future<?>> load = new java.util.ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                load.add(clients.submit(() -> send(client, gateway, done, failures)));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> done.get() >= CLIENTS * REQUESTS_PER_CLIENT / 3);
            victim.stop();
            for (Future<?> f : load) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            clients.shutdownNow();
            TestSupport.stop(client);
            survivor.stop();
        }

        assertThat(failures).isEmpty();
        assertThat(done.get()).isEqualTo(CLIENTS * REQUESTS_PER_CLIENT);
    }

    private static void send(HttpClient client, TestGateway gateway, AtomicInteger done,
                             ConcurrentLinkedQueue<String> failures) {
        for (int i = 0; i < REQUESTS_PER_CLIENT; i++) {
            try {
                int status = TestSupport.to(client, gateway, "/load").timeout(CLIENT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                        .send().getStatus();
                if (status != 200) {
                    failures.add("status " + status);
                }
            } catch (Exception e) {
                failures.add(e.toString());
            }
            done.incrementAndGet();
        }
    }
}
