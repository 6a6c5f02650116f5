package io.longshore.jetty;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.longshore.api.Endpoint;
import io.longshore.jetty.internal.policy.RetryBudget;
import io.micrometer.core.instrument.Counter;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The gateway spends the retry budget, and no more, when a replica keeps failing. */
@ParameterizedClass
@EnumSource(Transport.class)
class GatewayRetryBudgetTest {
    @Parameter
    Transport transport;
    private static final int REQUESTS = 200;

    private WireMockServer failing;
    private WireMockServer healthy;
    private HttpClient client;
    private TestGateway gateway;

    @BeforeEach
    void startBackends() {
        failing = TestSupport.wireMock();
        failing.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(503).withBody("busy")));
        healthy = TestSupport.wireMock();
        healthy.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("fine")));
        client = TestSupport.client();
    }

    @AfterEach
    void stopEverything() {
        if (gateway != null) {
            gateway.close();
        }
        TestSupport.stop(client);
        failing.stop();
        healthy.stop();
    }

    @Test
    void retriesOfAReplicaThatKeepsAnswering503StopAtTheBudgetAndThen503sPassThrough() throws Exception {
        gateway = transport.start(Gateway.builder().maxRetryBackoff(java.time.Duration.ZERO)
                .router(new GatewayRetryAfterEjectionTest.FirstChoiceRouter(Endpoint.loopback(failing.port()),
                        Endpoint.loopback(healthy.port()))));

        int passedThrough = 0;
        for (int i = 0; i < REQUESTS; i++) {
            int status = TestSupport.to(client, gateway, "/r/" + i).timeout(10, TimeUnit.SECONDS).send().getStatus();
            assertThat(status).isIn(200, 503);
            passedThrough += status == 503 ? 1 : 0;
        }

        long retries = (long) gateway.meterRegistry().get("longshore.gateway.retries").counter().count();
        assertThat(retries).isEqualTo(REQUESTS - passedThrough);
        assertThat(retries).isGreaterThanOrEqualTo(RetryBudget.CAPACITY)
                .isLessThanOrEqualTo(RetryBudget.CAPACITY + Math.round(Gateway.DEFAULT_RETRY_BUDGET * REQUESTS));
        assertThat(passedThrough).isPositive();
    }
}
