package io.longshore.jetty.internal.embedded;

import io.longshore.api.Backend;
import io.longshore.core.Lease;
import io.longshore.jetty.internal.metrics.ProxyError;
import io.longshore.jetty.internal.policy.GatewayReply;

/**
 * Where an {@link Attempt} at one replica that failed leads its {@link Exchange}, once the
 * replica's exchange has ended without a whole response (a stale pooled connection aside, which
 * the attempt sends again itself): the lease is reported as failed, the failure counted, and the
 * exchange goes on by the gateway's rules. An answer the gateway cannot relay as it came gets the
 * gateway's 502; a drained 502/503/504 goes to another replica; a failure before the response (a
 * head the gateway cannot trust among them, as the standalone engine takes it) is the client's
 * refusal, another replica or the gateway's answer; one while relaying is another replica or the
 * client's connection aborted. Made for one failure, on the thread that ends the attempt.
 */
final class AttemptFailure {
    private final Exchange exchange;
    private final Backend backend;

    AttemptFailure(Exchange exchange, Backend backend) {
        this.exchange = exchange;
        this.backend = backend;
    }

    /**
     * @param failure    what failed the replica's exchange
     * @param kind       its {@link Failures#classify class}
     * @param discarded  whether the replica's response was being drained for a retry
     * @param status     the replica's status when it answered, 0 when it did not
     * @param relaying   whether its body was being copied to the client
     */
    void settle(Throwable failure, Lease.Failure kind, boolean discarded, int status, boolean relaying) {
        exchange.failed(backend, Failures.forLease(failure, kind));
        if (Failures.isUnrelayable(failure)) { // a sound answer the replica would give again: not retried
            exchange.error(ProxyError.RESET);
            exchange.end.reply(GatewayReply.REPLICA_FAILED);
            return;
        }
        if (discarded) {
            exchange.retryLater(backend, status);
        } else if (relaying) {
            failedWhileRelaying(kind, failure);
        } else {
            failedBeforeResponse(kind, failure);
        }
    }

    private void failedBeforeResponse(Lease.Failure kind, Throwable failure) {
        GatewayReply refusal = Failures.clientSideReply(failure);
        if (refusal == GatewayReply.BODY_TOO_LARGE || refusal == GatewayReply.OVERLOADED) {
            exchange.error(refusal == GatewayReply.OVERLOADED ? ProxyError.OVERLOADED : ProxyError.BODY_TOO_LARGE);
        }
        if (refusal != null) {
            exchange.end.reply(refusal);
        } else if (kind == Lease.Failure.CANCELLED) {
            exchange.error(ProxyError.CANCELLED);
            exchange.end.abort(failure);
        } else if (kind == Lease.Failure.CONNECT) {
            exchange.error(ProxyError.CONNECT);
            exchange.connectFailed(backend);
        } else {
            exchange.error(kind == Lease.Failure.TIMEOUT ? ProxyError.TIMEOUT : ProxyError.RESET);
            exchange.replicaFailed(backend, kind);
        }
    }

    private void failedWhileRelaying(Lease.Failure kind, Throwable failure) {
        if (kind == Lease.Failure.CANCELLED) {
            exchange.error(ProxyError.CANCELLED);
            exchange.end.abort(failure);
            return;
        }
        exchange.error(kind == Lease.Failure.TIMEOUT ? ProxyError.TIMEOUT : ProxyError.RESET);
        exchange.replicaFailed(backend, kind);
    }
}
