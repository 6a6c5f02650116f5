package io.longshore.core;

import io.longshore.api.Backend;

/**
 * One request's hold on a backend: counted in flight from {@link Router#lease} until
 * exactly one of {@link #complete(int)} or {@link #fail(Failure)} is called. Calls after the
 * first are ignored. Thread-safe.
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
        /** The client went away; says nothing about the replica's health. */
        CANCELLED
    }

    Backend backend();

    /** The replica answered with {@code status}; latency is measured from the lease. */
    void complete(int status);

    /** The replica did not answer. */
    void fail(Failure failure);
}
