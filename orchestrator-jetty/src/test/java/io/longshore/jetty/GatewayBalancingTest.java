package io.longshore.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import io.longshore.api.Clock;
import io.longshore.api.HashKey;
import io.longshore.api.LoadBalancingStrategy;
import io.longshore.core.Routers;
import io.longshore.testkit.RawHttpClient;
import io.longshore.testkit.ScriptedBackend;
import io.longshore.testkit.ScriptedResponse;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Strategies that route by what a request carries, through both transports: hashing and sticky sessions. */
@ParameterizedClass
@EnumSource(Transport.class)
class GatewayBalancingTest {
    @Parameter
    Transport transport;
    private final AtomicBoolean firstFails = new AtomicBoolean();
    private List<ScriptedBackend> backends;
    private TestGateway gateway;
    private RawHttpClient http;

    @BeforeEach
    void startBackends() {
        backends = List.of(
                ScriptedBackend.start(request -> firstFails.get() ? ScriptedResponse.status(503)
                        : ScriptedResponse.ok("a")),
                ScriptedBackend.answering("b"), ScriptedBackend.answering("c"));
    }

    @AfterEach
    void close() throws Exception {
        if (http != null) {
            http.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        for (ScriptedBackend backend : backends) {
            backend.close();
        }
    }

    private void start(LoadBalancingStrategy strategy) throws Exception {
        gateway = transport.start(Gateway.builder().router(Routers.fixed(
                backends.stream().map(ScriptedBackend::endpoint).toList(), strategy, Clock.system())));
        http = new RawHttpClient(gateway.port());
    }

    private RawHttpClient.Response get(String extraHeaders) throws Exception {
        return http.send("GET /cart HTTP/1.1\r\nHost: shop\r\n" + extraHeaders + "\r\n").read();
    }

    @Test
    void hashingOnAHeaderSendsEachUserToOneReplicaAndUsersToSeveral() throws Exception {
        start(LoadBalancingStrategy.consistentHash(HashKey.header("X-User")));
        Map<String, String> homes = new HashMap<>();

        for (int round = 0; round < 3; round++) {
            for (int user = 0; user < 30; user++) {
                String body = get("X-User: user-" + user + "\r\n").body();
                assertThat(homes.putIfAbsent("user-" + user, body)).isIn(null, body);
            }
        }

        assertThat(new HashSet<>(homes.values())).containsExactlyInAnyOrder("a", "b", "c");
    }

    @Test
    void hashingOnACookieReadsItAmongTheOthers() throws Exception {
        start(LoadBalancingStrategy.consistentHash(HashKey.cookie("session")));
        Set<String> seen = new HashSet<>();

        for (int i = 0; i < 10; i++) {
            seen.add(get("Cookie: theme=dark; session=s-17; x=1\r\n").body());
        }

        assertThat(seen).hasSize(1);
    }

    @Test
    void stickySessionsSetTheCookieOnceAndKeepTheClientOnItsReplica() throws Exception {
        start(LoadBalancingStrategy.stickySessions("lb", LoadBalancingStrategy.roundRobin()));

        RawHttpClient.Response first = get("");
        String setCookie = first.header("Set-Cookie");
        assertThat(setCookie).matches("lb=127\\.0\\.0\\.1:\\d+; Path=/; HttpOnly");
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));

        for (int i = 0; i < 6; i++) {
            RawHttpClient.Response next = get("Cookie: " + cookie + "\r\n");
            assertThat(next.body()).isEqualTo(first.body());
            assertThat(next.header("Set-Cookie")).isNull();
        }
        RawHttpClient.Response stale = get("Cookie: lb=gone:1\r\n");
        assertThat(stale.header("Set-Cookie")).startsWith("lb=127.0.0.1:");
    }

    @Test
    void aStuckClientWhoseReplicaFailsIsRetriedElsewhereAndGivenTheNewCookie() throws Exception {
        start(LoadBalancingStrategy.stickySessions("lb", LoadBalancingStrategy.roundRobin()));
        firstFails.set(true);

        RawHttpClient.Response response = get("Cookie: lb=" + backends.get(0).endpoint() + "\r\n");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isIn("b", "c");
        assertThat(response.header("Set-Cookie")).doesNotContain(backends.get(0).endpoint().toString())
                .startsWith("lb=127.0.0.1:");
        assertThat(backends.get(0).requests()).hasSize(1);
    }
}
