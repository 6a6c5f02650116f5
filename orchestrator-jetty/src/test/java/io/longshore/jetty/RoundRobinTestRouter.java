package io.longshore.jetty;

import io.longshore.api.Backend;
import io.longshore.api.Endpoint;
import io.longshore.api.LoadMetrics;
import io.longshore.api.RouteRequest;
import io.longshore.core.Lease;
import io.longshore.core.Router;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A round-robin router over fixed endpoints that records every lease's outcome, so tests can
 * check that each request was reported exactly once. Thread-safe.
 */
class RoundRobinTestRouter implements Router {
    private final List<Backend> backends = new ArrayList<>();
    private final AtomicInteger next = new AtomicInteger();
    final ConcurrentLinkedQueue<TestLease> leases = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<String> paths = new ConcurrentLinkedQueue<>();

    RoundRobinTestRouter(int... ports) {
        for (int port : ports) {
            backends.add(new TestBackend("replica-" + port, Endpoint.loopback(port)));
        }
    }

    @Override
    public Optional<Lease> lease(RouteRequest request) {
        return leaseExcluding(request, null);
    }

    @Override
    public Optional<Lease> leaseExcluding(RouteRequest request, Backend excluded) {
        paths.add(request.method() + " " + request.path());
        List<Backend> candidates = new ArrayList<>(backends);
        candidates.remove(excluded);
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        TestBackend chosen = (TestBackend) candidates.get(Math.floorMod(next.getAndIncrement(), candidates.size()));
        TestLease lease = new TestLease(chosen);
        leases.add(lease);
        return Optional.of(lease);
    }

    @Override
    public List<Backend> routable() {
        return List.copyOf(backends);
    }

    @Override
    public LoadMetrics metrics() {
        return (metric, window) -> 0;
    }

    @Override
    public String strategyName() {
        return "round-robin";
    }

    /** Outcomes as strings, e.g. {@code replica-8000=200} or {@code replica-8000=CONNECT}. */
    List<String> outcomes() {
        List<String> out = new ArrayList<>();
        for (TestLease lease : leases) {
            out.add(lease.backend.id() + "=" + lease.outcome);
        }
        return out;
    }

    static final class TestBackend implements Backend {
        private final String id;
        private final Endpoint endpoint;
        final AtomicInteger inFlight = new AtomicInteger();

        TestBackend(String id, Endpoint endpoint) {
            this.id = id;
            this.endpoint = endpoint;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public Endpoint endpoint() {
            return endpoint;
        }

        @Override
        public int inFlight() {
            return inFlight.get();
        }

        @Override
        public long latencyEwmaNanos() {
            return 0;
        }
    }

    static final class TestLease implements Lease {
        final TestBackend backend;
        final AtomicInteger reports = new AtomicInteger();
        volatile Object outcome = "pending";

        TestLease(TestBackend backend) {
            this.backend = backend;
            backend.inFlight.incrementAndGet();
        }

        @Override
        public Backend backend() {
            return backend;
        }

        @Override
        public void complete(int status) {
            report(status);
        }

        @Override
        public void fail(Failure failure) {
            report(failure);
        }

        private void report(Object result) {
            if (reports.incrementAndGet() == 1) {
                outcome = result;
                backend.inFlight.decrementAndGet();
            }
        }
    }
}
