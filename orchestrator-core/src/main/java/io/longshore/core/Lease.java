package io.longshore.core;

import io.longshore.api.Backend;
import io.longshore.api.RouteRequest;

/**
 * A reusable hold on one backend at a time, for a caller that routes one request after another
 * on one thread of control (a gateway connection, a benchmark thread): {@link #acquire} picks a
 * backend and counts the request in flight, exactly one of {@link #complete} or {@link #fail}
 * reports the request's outcome, and then the lease is free to acquire again. Get one from
 * {@link Router#newLease()} and keep it.
 *
 * <p>The times are the caller's readings of the router's {@link Router#clock() clock}: a caller
 * that times its requests anyway (a gateway does, for its latency histogram) adds no clock
 * reads, and the routers of this library allocate nothing per request.
 *
 * <p>Not thread-safe: one request at a time. An outcome reported while nothing is held is
 * ignored, as is a second one.
 */
public interface Lease {

    /** Why a request did not get a response from its backend. */
    enum Failure {
        /** The connection could not be opened (refused, unreachable); nothing reached the replica. */
        CONNECT,
        /** The connection broke after the request was (partly) sent. */
        RESET,
        /** The replica did not answer within the response timeout. */
        TIMEOUT,
        /**
         * The request was given up for a reason that is not the replica's: the client went away,
         * or the gateway's own connection limit to the replica kept it waiting for a free
         * connection past the connect timeout (the replica is busy, as HAProxy's queue timeout
         * or Envoy's pool overflow). Says nothing about the replica's health: it counts neither
         * as a failure nor as latency.
         */
        CANCELLED
    }

    /**
     * Leases a backend other than {@code excluded} ({@code null} for any) for one request.
     *
     * @param nowNanos the router clock's reading now; latency is measured from it
     * @return false when no backend is routable (nothing is held then)
     * @throws IllegalStateException when a backend is still held
     */
    boolean acquire(RouteRequest request, Backend excluded, long nowNanos);

    /**
     * Leases a backend other than {@code excluded} and {@code alsoExcluded} (either {@code null}
     * for none), for a request that failed on both: a gateway's second retry. A strategy that
     * maps a request to one backend (consistent hashing, a sticky cookie) picks the first failed
     * one again once the second is excluded, so one exclusion is not enough to reach a third.
     *
     * <p>By default it leases other than {@code excluded} and, when that is {@code alsoExcluded},
     * gives it back as {@link Failure#CANCELLED} and tries once more; the routers of this library
     * take the backend after {@code alsoExcluded} in their candidates' order when their strategy
     * picks it again, so a third one is found whenever one is routable.
     *
     * @return false when no such backend is routable (nothing is held then)
     * @throws IllegalStateException when a backend is still held
     */
    default boolean acquire(RouteRequest request, Backend excluded, Backend alsoExcluded, long nowNanos) {
        for (int tries = 0; tries < 2; tries++) {
            if (!acquire(request, excluded, nowNanos)) {
                return false;
            }
            if (alsoExcluded == null || !backend().id().equals(alsoExcluded.id())) {
                return true;
            }
            fail(Failure.CANCELLED, nowNanos);
        }
        return false;
    }

    /**
     * After {@link #acquire} returned false: whether waiting could help, because no backend was
     * routable or every one was at its concurrency limit; false when the strategy routed the
     * request nowhere ({@code LoadBalancingStrategy.NONE}), or for routers that cannot tell. A
     * gateway holds a request that may wait in its waiting line ({@link WaitingLine}).
     */
    default boolean mayWait() {
        return false;
    }

    /** Whether a backend is held (acquired and its outcome not yet reported). */
    boolean isHeld();

    /** The backend held, or {@code null} when none is. */
    Backend backend();

    /** The backend answered with {@code status} at {@code nowNanos} of the router's clock. */
    void complete(int status, long nowNanos);

    /** The backend did not answer; {@code nowNanos} is the router clock's reading when that was known. */
    void fail(Failure failure, long nowNanos);
}
