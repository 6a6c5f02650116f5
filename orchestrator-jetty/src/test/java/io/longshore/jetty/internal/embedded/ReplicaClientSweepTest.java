package io.longshore.jetty.internal.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.longshore.api.Clock;
import io.longshore.api.Endpoint;
import io.longshore.jetty.internal.policy.ProxySettings;
import io.longshore.jetty.internal.policy.Randomness;
import io.longshore.testkit.ScriptedBackend;
import java.time.Duration;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The embedded gateway's client to its replicas keeps nothing of an endpoint for good: once no
 * router knows an endpoint, its cached origin and {@code Host} field are forgotten by the
 * periodic sweep, and its destination goes once its connections have been idle long enough;
 * what is kept of an endpoint still known stays.
 */
class ReplicaClientSweepTest {
    /** Short, so idle pooled connections and destinations go soon. */
    private static final Duration RESPONSE_TIMEOUT = Duration.ofMillis(200);

    private final ReplicaClient replicas = new ReplicaClient(new ProxySettings(RESPONSE_TIMEOUT, Duration.ofSeconds(2),
            1 << 20, 8192, 16, 4, 0.2, Duration.ZERO, Duration.ofHours(1), Clock.system(),
            new Randomness(new SplittableRandom(1))));
    private ScriptedBackend gone;
    private ScriptedBackend staying;

    @AfterEach
    void stop() throws Exception {
        replicas.stopSweeping();
        replicas.client().stop();
        if (gone != null) {
            gone.close();
        }
        if (staying != null) {
            staying.close();
        }
    }

    @Test
    void anEndpointNoRouterKnowsAnyMoreLosesItsDestinationAndCachedFieldsWhileAKnownOneKeepsItsFields()
            throws Exception {
        gone = ScriptedBackend.answering("gone");
        staying = ScriptedBackend.answering("staying");
        Endpoint goneEndpoint = Endpoint.loopback(gone.port());
        Endpoint stayingEndpoint = Endpoint.loopback(staying.port());
        replicas.client().start();
        replicas.started();
        AtomicReference<Set<Endpoint>> known = new AtomicReference<>(Set.of(goneEndpoint, stayingEndpoint));
        replicas.startSweeping(known::get);

        assertThat(get(goneEndpoint).getContentAsString()).isEqualTo("gone");
        assertThat(get(stayingEndpoint).getContentAsString()).isEqualTo("staying");
        assertThat(replicas.cachedEndpoints()).containsExactlyInAnyOrder(goneEndpoint, stayingEndpoint);
        assertThat(replicas.client().getDestinations()).hasSize(2);

        known.set(Set.of(stayingEndpoint)); // the replica at goneEndpoint left its router

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(replicas.cachedEndpoints()).containsExactly(stayingEndpoint);
            assertThat(replicas.client().getDestinations())
                    .noneMatch(destination -> destination.getOrigin().getAddress().getPort() == gone.port());
        });
    }

    private ContentResponse get(Endpoint endpoint) throws Exception {
        return replicas.client().newRequest(replicas.origin(endpoint))
                .headers(headers -> headers.put(replicas.hostField(endpoint)))
                .send();
    }
}
