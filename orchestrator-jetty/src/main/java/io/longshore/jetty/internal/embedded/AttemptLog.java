package io.longshore.jetty.internal.embedded;

import io.longshore.api.Backend;
import io.longshore.api.Clock;
import io.longshore.jetty.internal.metrics.ServiceMetrics;

/**
 * What the attempts of one {@link Exchange} leave for its access-log line and for the replicas'
 * load windows: the last attempt's replica, when it was sent, how long its connection took and
 * when its first response byte came (timed only when an access log is written), the status it
 * answered and the retries taken. The attempts write it one after another; the exchange's end
 * reads it. Thread-safe (volatile fields, one writer at a time).
 */
final class AttemptLog {
    private final Clock clock;
    private final boolean timed;
    private final long startNanos;
    private volatile Backend lastBackend;
    private volatile int answeredStatus;
    private volatile int retries;
    private volatile long attemptStart = -1;
    private volatile long connectNanos = -1;
    private volatile long firstByteAt = -1;
    /** When the current attempt was sent, on the gateway's clock (for the replica's load window). */
    private volatile long attemptStartNanos;

    /**
     * @param clock      the gateway's clock
     * @param timed      whether an access log is written (then the attempts' times are taken)
     * @param startNanos when the exchange began, on {@code clock}
     */
    AttemptLog(Clock clock, boolean timed, long startNanos) {
        this.clock = clock;
        this.timed = timed;
        this.startNanos = startNanos;
    }

    /** An attempt is about to be sent to {@code backend}. */
    void sending(Backend backend) {
        attemptStartNanos = clock.nanoTime();
        lastBackend = backend;
        if (timed) {
            attemptStart = clock.nanoTime();
            connectNanos = -1;
            firstByteAt = -1;
        }
    }

    /** The attempt got its connection to the replica. */
    void connected() {
        long start = attemptStart;
        if (start >= 0) {
            connectNanos = clock.nanoTime() - start;
        }
    }

    /** The replica's first response byte came. */
    void firstByte() {
        if (attemptStart >= 0 && firstByteAt < 0) {
            firstByteAt = clock.nanoTime();
        }
    }

    /** The replica answered {@code status}. */
    void answered(int status) {
        answeredStatus = status;
    }

    /** A retry was taken. */
    void retried() {
        retries++;
    }

    /** Records in {@code metrics} that the attempt at {@code backend} ended now with {@code status} (0: it failed). */
    void outcome(ServiceMetrics metrics, Backend backend, int status) {
        long end = clock.nanoTime();
        metrics.outcome(backend, status, end, end - attemptStartNanos);
    }

    /** The attempts' part of the access-log line. */
    AccessLogging.Upstream upstream() {
        Backend backend = lastBackend;
        long firstByte = firstByteAt;
        return new AccessLogging.Upstream(backend == null ? null : backend.id(), answeredStatus, retries, connectNanos,
                firstByte < 0 ? -1 : firstByte - startNanos);
    }
}
