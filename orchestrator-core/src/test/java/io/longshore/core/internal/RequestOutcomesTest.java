package io.longshore.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.longshore.api.Endpoint;
import io.longshore.api.LoadBalancingStrategy;
import io.longshore.core.Lease;
import io.longshore.testkit.ManualClock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestOutcomesTest {
    private final ManualClock clock = new ManualClock();
    private final List<ReplicaBackend> outliers = new ArrayList<>();
    private final DefaultRouter.Hooks hooks = new DefaultRouter.Hooks() {
        @Override
        public void outlier(ReplicaBackend backend) {
            outliers.add(backend);
        }
    };
    private final RouterCapacity capacity = new DefaultRouter(LoadBalancingStrategy.roundRobin(), clock, 0, hooks)
            .capacity();
    private final RequestOutcomes outcomes = new RequestOutcomes(new RequestMeter(clock, () -> 0, () -> 0), capacity,
            hooks, 2, 1e9);
    private final ReplicaBackend backend = new ReplicaBackend("r0", Endpoint.loopback(8000));

    @Test
    void twoFailedAnswersInARowMakeAnOutlierAndEveryEndFreesTheBackendsSlotAndSaysSo() {
        List<String> told = new ArrayList<>();
        capacity.onCapacity(() -> told.add("room"));

        for (int status : new int[] {503, 200, 500, 502}) {
            assertThat(backend.tryAcquire()).isTrue();
            outcomes.completed(backend, 0, status, 1_000);
        }

        assertThat(outliers).as("the 200 ended the first streak").containsExactly(backend);
        assertThat(backend.inFlight()).isZero();
        assertThat(told).hasSize(4);
    }

    @Test
    void aConnectFailureCountsWithoutLatencyATimeoutWithItAndACancellationNotAtAll() {
        backend.tryAcquire();
        outcomes.failed(backend, 0, Lease.Failure.CONNECT, 5_000_000);
        assertThat(backend.peakEwmaNanos()).isNaN();
        backend.tryAcquire();
        outcomes.failed(backend, 0, Lease.Failure.CANCELLED, 5_000_000);
        assertThat(outliers).isEmpty();

        backend.tryAcquire();
        outcomes.failed(backend, 0, Lease.Failure.TIMEOUT, 5_000_000);

        assertThat(backend.peakEwmaNanos()).isEqualTo(5_000_000);
        assertThat(outliers).as("the connect failure and the timeout, in a row").containsExactly(backend);
        assertThat(backend.inFlight()).isZero();
    }
}
