package io.longshore.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.longshore.api.Backend;
import io.longshore.api.Endpoint;
import io.longshore.api.LoadBalancingStrategy;
import io.longshore.api.RouteRequest;
import io.longshore.core.Lease;
import io.longshore.testkit.ManualClock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * 16 request threads against one writer that keeps adding and removing backends: no lease
 * lands on a backend whose removal was published before the lease began, every in-flight
 * count returns to zero, and every lease is counted exactly once.
 */
class RouterConcurrencyTest {
    private static final int THREADS = 16;
    private static final int LEASES_PER_THREAD = 20_000;

    private final DefaultRouter router = new DefaultRouter(LoadBalancingStrategy.roundRobin(), new ManualClock(), 0,
            new DefaultRouter.Hooks() { });
    private final List<ReplicaBackend> everyBackend = new ArrayList<>();
    private final Map<ReplicaBackend, Long> removedAt = new ConcurrentHashMap<>();
    private final AtomicLong publishedRemovals = new AtomicLong();
    private final AtomicBoolean done = new AtomicBoolean();
    private final LongAdder violations = new LongAdder();
    private final LongAdder leases = new LongAdder();

    @Test
    void noLeaseLandsOnARemovedReplicaAndNoCountIsLost() throws Exception {
        List<ReplicaBackend> live = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            live.add(fresh());
        }
        router.publish(live);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);
        CountDownLatch go = new CountDownLatch(1);
        try {
            Future<?> writer = pool.submit(() -> churn(live, go));
            List<Future<?>> readers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                boolean reuse = t % 2 == 1; // half keep one lease, half take a new one per request
                readers.add(pool.submit(() -> hammer(go, reuse)));
            }
            go.countDown();
            for (Future<?> reader : readers) {
                reader.get(2, TimeUnit.MINUTES);
            }
            done.set(true);
            writer.get(1, TimeUnit.MINUTES);
        } finally {
            pool.shutdownNow();
        }

        assertThat(violations.sum()).isZero();
        assertThat(everyBackend).allMatch(b -> b.inFlight() == 0);
        assertThat(router.metrics().inFlight()).isZero();
        assertThat(everyBackend.stream().mapToLong(ReplicaBackend::requestCount).sum())
                .isEqualTo(leases.sum()).isEqualTo((long) THREADS * LEASES_PER_THREAD);
        assertThat(removedAt).hasSizeGreaterThan(10);
    }

    private ReplicaBackend fresh() {
        // ports wrap: the writer may churn through more replicas than there are ports while the readers run
        int port = 1024 + everyBackend.size() % 60_000;
        ReplicaBackend backend = new ReplicaBackend("b" + everyBackend.size(), Endpoint.loopback(port));
        everyBackend.add(backend);
        return backend;
    }

    private void churn(List<ReplicaBackend> live, CountDownLatch go) {
        await(go);
        int round = 0;
        while (!done.get()) {
            round++;
            ReplicaBackend gone = live.remove(round % live.size());
            live.add(fresh());
            router.publish(new ArrayList<>(live));
            long sequence = publishedRemovals.get() + 1;
            removedAt.put(gone, sequence);
            publishedRemovals.set(sequence);
            Thread.onSpinWait();
        }
    }

    private void hammer(CountDownLatch go, boolean reuse) {
        await(go);
        RouteRequest request = RouteRequest.of("GET", "/");
        Lease lease = router.newLease();
        for (int i = 0; i < LEASES_PER_THREAD; i++) {
            long seen = publishedRemovals.get();
            if (!reuse) {
                lease = router.newLease();
            }
            if (!lease.acquire(request, null, i)) {
                i--;
                continue;
            }
            Backend backend = lease.backend();
            leases.increment();
            Long removal = removedAt.get((ReplicaBackend) backend);
            if (removal != null && removal <= seen) {
                violations.increment();
            }
            if ((i & 1) == 0) {
                lease.complete(200, i + 1);
            } else {
                lease.fail(Lease.Failure.RESET, i + 1);
            }
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
