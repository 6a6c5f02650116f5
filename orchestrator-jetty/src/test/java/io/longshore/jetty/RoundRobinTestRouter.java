package io.longshore.jetty;

import io.longshore.api.Backend;
import io.longshore.api.Endpoint;
import io.longshore.api.LoadMetrics;
import io.longshore.api.RouteRequest;
import io.longshore.core.Lease;
import io.longshore.core.Router;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A round-robin router over fixed endpoints that records every acquisition and its outcome, so
 * tests can check that each request was reported exactly once; {@link #pick} may be overridden
 * for another order. Thread-safe.
 */
class RoundRobinTestRouter implements Router {
    private volatile List<TestBackend> backends;
    private final AtomicInteger next = new AtomicInteger();
    /** Every acquisition, in order. */
    final ConcurrentLinkedQueue<Acquired> leases = new ConcurrentLinkedQueue<>();
    /** Outcomes reported while a lease held nothing (a double report). */
    final AtomicInteger strayReports = new AtomicInteger();
    final ConcurrentLinkedQueue<String> paths = new ConcurrentLinkedQueue<>();
    /** The host each acquisition was asked for: {@code header("Host")}, then {@code headerView("host")}. */
    final ConcurrentLinkedQueue<String> hosts = new ConcurrentLinkedQueue<>();

    RoundRobinTestRouter(int... ports) {
        List<Endpoint> endpoints = new ArrayList<>();
        for (int port : ports) {
            endpoints.add(Endpoint.loopback(port));
        }
        offerOnly(endpoints.toArray(new Endpoint[0]));
    }

    /** Replaces the routable backends (ids {@code replica-<port>}). */
    final void offerOnly(Endpoint... endpoints) {
        List<TestBackend> offered = new ArrayList<>();
        for (Endpoint endpoint : endpoints) {
            offered.add(new TestBackend("replica-" + endpoint.port(), endpoint));
        }
        backends = List.copyOf(offered);
    }

    /** The backend to lease among {@code candidates} (never empty); round robin here. */
    TestBackend pick(List<TestBackend> candidates) {
        return candidates.get(Math.floorMod(next.getAndIncrement(), candidates.size()));
    }

    @Override
    public Lease newLease() {
        return new TestLease();
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
        for (Acquired lease : leases) {
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

    /** One acquisition and what was reported for it. */
    static final class Acquired {
        final TestBackend backend;
        final AtomicInteger reports = new AtomicInteger();
        volatile Object outcome = "pending";

        Acquired(TestBackend backend) {
            this.backend = backend;
        }
    }

    private final class TestLease implements Lease {
        private Acquired held;

        @Override
        public boolean acquire(RouteRequest request, Backend excluded, long nowNanos) {
            if (held != null) {
                throw new IllegalStateException("still held: " + held.backend.id());
            }
            paths.add(request.method() + " " + request.path());
            CharSequence hostView = request.headerView("host");
            hosts.add(request.header("Host") + " " + (hostView == null ? null : hostView.toString()));
            List<TestBackend> candidates = new ArrayList<>(backends);
            candidates.removeIf(b -> excluded != null && b.id().equals(excluded.id()));
            if (candidates.isEmpty()) {
                return false;
            }
            held = new Acquired(pick(candidates));
            held.backend.inFlight.incrementAndGet();
            leases.add(held);
            return true;
        }

        @Override
        public boolean isHeld() {
            return held != null;
        }

        @Override
        public Backend backend() {
            return held == null ? null : held.backend;
        }

        @Override
        public void complete(int status, long nowNanos) {
            report(status);
        }

        @Override
        public void fail(Failure failure, long nowNanos) {
            report(failure);
        }

        private void report(Object result) {
            Acquired lease = held;
            if (lease == null) {
                strayReports.incrementAndGet();
                return;
            }
            held = null;
            lease.reports.incrementAndGet();
            lease.outcome = result;
            lease.backend.inFlight.decrementAndGet();
        }
    }
}
