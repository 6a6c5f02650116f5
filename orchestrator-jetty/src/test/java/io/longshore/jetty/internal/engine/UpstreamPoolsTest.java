package io.longshore.jetty.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.longshore.api.Endpoint;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A worker's pools by endpoint: those of endpoints no router knows any more are dropped by a sweep. */
class UpstreamPoolsTest {
    private final Endpoint kept = Endpoint.loopback(8001);
    private final Endpoint gone = Endpoint.loopback(8002);
    private final UpstreamPools pools = new UpstreamPools(endpoint -> new UpstreamPool(null, endpoint, 1));

    @Test
    void aSweepDropsTheUnusedPoolOfAnEndpointNoRouterKnowsAndKeepsTheOthers() {
        UpstreamPool keptPool = pools.get(kept);
        UpstreamPool gonePool = pools.get(gone);

        pools.sweep(Set.of(kept));

        assertThat(pools.size()).isEqualTo(1);
        assertThat(pools.get(kept)).isSameAs(keptPool);
        assertThat(pools.get(gone)).as("made anew when the endpoint comes back").isNotSameAs(gonePool);
    }

    @Test
    void aSweepKeepsThePoolOfAnEndpointARouterStillKnows() {
        UpstreamPool first = pools.get(kept);

        pools.sweep(Set.of(kept, gone));

        assertThat(pools.get(kept)).isSameAs(first);
        assertThat(pools.size()).isEqualTo(1);
    }
}
