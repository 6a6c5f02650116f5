package io.longshore.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RetiredBackendsTest {
    private final List<ReplicaBackend> backends = DefaultRouterTest.backends(2);
    private final ReplicaBackend kept = backends.get(0);
    private final ReplicaBackend gone = backends.get(1);
    private final RetiredBackends retired = new RetiredBackends();
    private final RouterSnapshot both = RouterSnapshot.EMPTY.next(backends);

    @Test
    void aBackendAPublicationDropsIsUnleasableAndCountedUntilItsRequestsEnd() {
        assertThat(gone.tryAcquire()).isTrue();
        RouterSnapshot without = both.next(List.of(kept));

        retired.retire(both, without);

        assertThat(gone.isLeasable()).isFalse();
        assertThat(retired.inFlight()).isEqualTo(1);
        gone.release();
        retired.retire(without, without.next(List.of(kept)));
        assertThat(retired.inFlight()).isZero();
    }

    @Test
    void aRetiredBackendPublishedAgainIsLeasableAndNoLongerCountedAsRetired() {
        assertThat(gone.tryAcquire()).isTrue();
        RouterSnapshot without = both.next(List.of(kept));
        retired.retire(both, without);

        RouterSnapshot again = without.next(backends);
        retired.retire(without, again);

        assertThat(gone.isLeasable()).isTrue();
        assertThat(retired.inFlight()).as("its request counts in the snapshot now").isZero();
        assertThat(again.sequence()).isEqualTo(3);
        assertThat(again.indexOf(gone)).isEqualTo(1);
    }
}
