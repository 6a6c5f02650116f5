package io.longshore.simulator;

import io.longshore.api.RouteRequest;
import io.longshore.core.Lease;
import io.longshore.core.Router;
import java.util.ArrayDeque;

/**
 * The gateway of a simulation: leases a replica from the real router for every request, hands the
 * request to the modelled replica behind the lease, reports the outcome to the lease, and records
 * it; a request no replica takes gets the gateway's 503, one its replica does not answer within
 * the response timeout a 504. Keeps its leases for reuse, as a gateway does. Confined to the
 * simulation's thread.
 */
final class Front {
    static final RouteRequest REQUEST = RouteRequest.of("GET", "/");

    private final Router router;
    private final SimulatedRuntime runtime;
    private final Timers timers;
    private final Recorder recorder;
    private final long responseTimeoutNanos;
    private final ArrayDeque<Lease> free = new ArrayDeque<>();
    private int open;

    Front(Router router, SimulatedRuntime runtime, Timers timers, Recorder recorder, long responseTimeoutNanos) {
        this.router = router;
        this.runtime = runtime;
        this.timers = timers;
        this.recorder = recorder;
        this.responseTimeoutNanos = responseTimeoutNanos;
    }

    /** Requests sent and not yet ended. */
    int open() {
        return open;
    }

    /** A request arrives now; {@code onDone} runs when it has ended. */
    void send(Runnable onDone) {
        open++;
        route(new Exchange(timers.nanos(), onDone));
    }

    private void route(Exchange exchange) {
        Lease lease = free.isEmpty() ? router.newLease() : free.pop();
        long now = timers.nanos();
        if (!lease.acquire(REQUEST, null, now)) {
            free.push(lease);
            exchange.end(Outcome.NO_REPLICA);
            return;
        }
        SimulatedReplica replica = runtime.at(lease.backend().endpoint());
        exchange.lease = lease;
        if (replica == null) {
            exchange.broken();
            return;
        }
        if (responseTimeoutNanos > 0) {
            timers.at(now + responseTimeoutNanos, exchange::timedOut);
        }
        replica.accept(exchange);
    }

    /** One request through the gateway: its lease while it holds one, and how it ended. */
    private final class Exchange implements Job {
        private final long arrivalNanos;
        private final Runnable onDone;
        private Lease lease;
        private boolean ended;

        Exchange(long arrivalNanos, Runnable onDone) {
            this.arrivalNanos = arrivalNanos;
            this.onDone = onDone;
        }

        @Override
        public void answered(int status) {
            if (!ended) {
                lease.complete(status, timers.nanos());
                release();
                end(status >= 500 ? Outcome.REPLICA_ERROR : Outcome.SERVED);
            }
        }

        @Override
        public void broken() {
            failLease(Lease.Failure.RESET, Outcome.RESET);
        }

        void timedOut() {
            failLease(Lease.Failure.TIMEOUT, Outcome.TIMEOUT);
        }

        private void failLease(Lease.Failure failure, Outcome outcome) {
            if (!ended) {
                lease.fail(failure, timers.nanos());
                release();
                end(outcome);
            }
        }

        private void release() {
            free.push(lease);
            lease = null;
        }

        void end(Outcome outcome) {
            ended = true;
            open--;
            recorder.record(arrivalNanos, timers.nanos() - arrivalNanos, outcome, false);
            onDone.run();
        }
    }
}
