package io.longshore.core;

import io.longshore.api.Backend;
import io.longshore.api.RouteRequest;

/**
 * A reusable lease, for a caller that routes one request after another on the same thread of
 * control, such as a gateway connection: {@link #acquire} picks a backend and counts the
 * request in flight, {@link #complete} or {@link #fail} reports its outcome once, and then the
 * handle is free to acquire again. It takes the caller's readings of the router's
 * {@link Router#clock() clock} rather than reading it itself, so a caller that times its
 * requests anyway pays for no extra clock reads, and the routers of this library allocate
 * nothing per request. Get one from {@link Router#newHandle()}.
 *
 * <p>Not thread-safe: one request at a time. An outcome reported while nothing is acquired is
 * ignored, as is a second one.
 */
public interface LeaseHandle {

    /**
     * Leases a backend other than {@code excluded} (null for any) for one request.
     *
     * @param nowNanos the router clock's reading now
     * @return false when no backend is routable (nothing is acquired then)
     * @throws IllegalStateException when a lease is still held
     */
    boolean acquire(RouteRequest request, Backend excluded, long nowNanos);

    /** Whether a lease is held (acquired and not yet reported). */
    boolean isHeld();

    /** The backend of the lease held. */
    Backend backend();

    /** The backend answered with {@code status}; latency is measured from the acquire. */
    void complete(int status, long nowNanos);

    /** The backend did not answer. */
    void fail(Lease.Failure failure, long nowNanos);
}
