package io.longshore.jetty.internal.policy;

import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.IdleTimeout;

/**
 * The timeout of a tunnel one side of which has ended its stream, for both transports' tunnels:
 * the shorter of the tunnel's idle timeout and the client's, as HAProxy's
 * {@code timeout client-fin}, so that a peer that never answers an end holds no tunnel open for
 * an hour. Stateless.
 */
public final class HalfClosedTunnels {
    private HalfClosedTunnels() {
    }

    /**
     * Gives {@code endPoint} the half-closed timeout, counted from now: the end of a stream is
     * activity though no byte came with it, and a tunnel silent for longer before it would
     * otherwise time out at once and lose the other way's answer.
     */
    public static void timeOutFromNow(EndPoint endPoint, long timeoutMillis) {
        if (endPoint instanceof IdleTimeout idle) {
            idle.notIdle();
        }
        endPoint.setIdleTimeout(timeoutMillis);
    }
}
