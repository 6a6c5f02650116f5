package io.longshore.simulator;

import io.longshore.api.RouteRequest;
import io.longshore.core.Lease;
import io.longshore.core.Router;
import io.longshore.core.WaitingLine;
import java.util.ArrayDeque;

/**
 * The gateway of a simulation: leases a replica from the real router for every request, hands the
 * request to the modelled replica behind the lease, reports the outcome to the lease, and records
 * it. With no room for a request (no replica routable, or every one at its concurrency limit) it
 * holds it in the core's {@link WaitingLine}, as the gateway does: a full line or a wait past the
 * line's time is the gateway's 503; a request that cannot wait (no line, or a strategy that routes
 * nowhere) gets 503 at once; one its replica does not answer within the response timeout a 504.
 * Keeps its leases for reuse, as a gateway does. Confined to the simulation's thread.
 */
final class Front {
    static final RouteRequest REQUEST = RouteRequest.of("GET", "/");

    private final Router router;
    private final SimulatedRuntime runtime;
    private final Timers timers;
    private final Recorder recorder;
    private final long responseTimeoutNanos;
    private final WaitingLine line;
    private final ArrayDeque<Lease> free = new ArrayDeque<>();
    private int open;

    /** @param line the waiting line, or null for none */
    Front(Router router, SimulatedRuntime runtime, Timers timers, Recorder recorder, long responseTimeoutNanos,
          WaitingLine line) {
        this.router = router;
        this.runtime = runtime;
        this.timers = timers;
        this.recorder = recorder;
        this.responseTimeoutNanos = responseTimeoutNanos;
        this.line = line;
    }

    /** Requests sent and not yet ended. */
    int open() {
        return open;
    }

    /** Requests waiting in the line now. */
    int waiting() {
        return line == null ? 0 : line.length();
    }

    /** A request arrives now; {@code onDone} runs when it has ended. */
    void send(Runnable onDone) {
        open++;
        Exchange exchange = new Exchange(timers.nanos(), onDone);
        if (line != null && line.mustQueue()) {
            exchange.hold();
        } else {
            exchange.route();
        }
    }

    private Lease lease() {
        return free.isEmpty() ? router.newLease() : free.pop();
    }

    /** One request through the gateway: its lease while it holds one, its place in the line, how it ended. */
    private final class Exchange implements Job, WaitingLine.Waiter {
        private final long arrivalNanos;
        private final Runnable onDone;
        private Lease lease;
        private WaitingLine.Ticket ticket;
        private boolean ended;

        Exchange(long arrivalNanos, Runnable onDone) {
            this.arrivalNanos = arrivalNanos;
            this.onDone = onDone;
        }

        void route() {
            Lease candidate = lease();
            if (candidate.acquire(REQUEST, null, timers.nanos())) {
                forward(candidate);
            } else {
                free.push(candidate);
                if (line != null && candidate.mayWait()) {
                    hold();
                } else {
                    end(Outcome.NO_REPLICA);
                }
            }
        }

        void hold() {
            ticket = line.join(this, timers.nanos());
            if (ticket == null) {
                end(Outcome.LINE_FULL);
                return;
            }
            timers.at(timers.nanos() + line.maxWait().toNanos(), () -> {
                if (!ended && ticket.isWaiting()) {
                    ticket.leave(timers.nanos());
                    end(Outcome.WAIT_TIMEOUT);
                }
            });
        }

        @Override
        public void wake() {
            timers.at(timers.nanos(), () -> {
                if (ended) {
                    return;
                }
                Lease candidate = lease();
                if (candidate.acquire(REQUEST, null, timers.nanos())) {
                    ticket.served(timers.nanos());
                    forward(candidate);
                } else {
                    free.push(candidate);
                    ticket.requeue();
                }
            });
        }

        private void forward(Lease leased) {
            lease = leased;
            SimulatedReplica replica = runtime.at(leased.backend().endpoint());
            if (replica == null) {
                broken();
                return;
            }
            if (responseTimeoutNanos > 0) {
                timers.at(timers.nanos() + responseTimeoutNanos, this::timedOut);
            }
            replica.accept(this);
        }

        @Override
        public void answered(int status) {
            if (!ended) {
                if (ticket != null) {
                    ticket.firstByte(timers.nanos());
                }
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
            recorder.record(arrivalNanos, timers.nanos() - arrivalNanos, outcome, ticket != null);
            onDone.run();
        }
    }
}
