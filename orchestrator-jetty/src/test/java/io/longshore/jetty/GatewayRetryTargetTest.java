package io.longshore.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import io.longshore.api.Clock;
import io.longshore.api.Endpoint;
import io.longshore.api.HashKey;
import io.longshore.api.LoadBalancingStrategy;
import io.longshore.core.OutlierDetection;
import io.longshore.core.Router;
import io.longshore.core.Routers;
import io.longshore.testkit.RawHttpClient;
import io.longshore.testkit.ScriptedBackend;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Where a request's retries go: to a replica that has not failed it, whatever the strategy would pick. */
@ParameterizedClass
@EnumSource(Transport.class)
class GatewayRetryTargetTest {
    @Parameter
    Transport transport;
    private ScriptedBackend live;
    private TestGateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (live != null) {
            live.close();
        }
    }

    /**
     * Consistent hashing (or a sticky cookie) points a key at the same replica again once the
     * replica after it failed too; the third attempt must still find the one that accepts.
     */
    @Test
    void withTwoOfThreeReplicasRefusingEveryKeyIsAnsweredByTheThirdUnderConsistentHashing() throws Exception {
        live = ScriptedBackend.answering("live");
        int refusing = TestSupport.closedPort();
        int alsoRefusing = TestSupport.closedPort();
        while (alsoRefusing == refusing) {
            alsoRefusing = TestSupport.closedPort();
        }
        List<Endpoint> endpoints = List.of(Endpoint.loopback(refusing), Endpoint.loopback(alsoRefusing),
                Endpoint.loopback(live.port()));
        Router router = Routers.fixed(endpoints, LoadBalancingStrategy.consistentHash(HashKey.header("x-user")),
                Clock.system(), OutlierDetection.disabled());
        gateway = transport.start(Gateway.builder().router(router));

        List<String> failed = new ArrayList<>();
        try (RawHttpClient http = new RawHttpClient(gateway.port())) {
            for (int user = 0; user < 30; user++) {
                RawHttpClient.Response response = http.send("GET /u HTTP/1.1\r\nHost: h\r\nx-user: user-" + user
                        + "\r\n\r\n").read();
                if (response.status() != 200) {
                    failed.add("user-" + user + ": " + response.status());
                }
            }
        }

        assertThat(failed).isEmpty();
        assertThat(router.routable()).allMatch(backend -> backend.inFlight() == 0);
    }
}
