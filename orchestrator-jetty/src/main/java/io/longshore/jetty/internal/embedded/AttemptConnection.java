package io.longshore.jetty.internal.embedded;

import org.eclipse.jetty.client.Request;

/**
 * The connection an {@link Attempt} goes out on. The attempt's request waits for one from its
 * replica's pool up to the connect timeout ({@link ConnectDeadlines}), and is aborted as refused
 * beyond it ({@link Failures#noConnectionInTime}). Once it has one: whether that connection
 * carried a request before (only a reused one may turn out to be stale), and its end point
 * carries the attempt until the attempt completes, so that the connection's idle timeout can ask
 * it whether it waits for its client ({@link ReplicaConnector}). Its calls come on Jetty's
 * threads, one after another.
 */
final class AttemptConnection {
    private final ReplicaClient replicas;
    private final Request outbound;
    private ConnectDeadlines.Wait noConnectionTimer;
    private volatile boolean begun;
    private volatile boolean reused;
    /** The end point of the connection to the replica, once it has one (null for another connector's). */
    private volatile ReplicaConnector.ReplicaEndPoint endPoint;

    AttemptConnection(ReplicaClient replicas, Request outbound) {
        this.replicas = replicas;
        this.outbound = outbound;
    }

    /** The request is being sent: it must find a connection within the connect timeout. */
    void awaited() {
        noConnectionTimer = replicas.connectDeadlines().start(this::noConnectionInTime);
    }

    private void noConnectionInTime() {
        if (!begun) {
            outbound.abort(Failures.noConnectionInTime(replicas.client().resolveDestination(outbound)));
        }
    }

    /** The request found its connection. */
    void found() {
        begun = true;
        noConnectionTimer.end();
    }

    /** {@code attempt}, whose {@code request} found its connection, rides on it until it {@link #ended ends}. */
    void carry(Request request, ReplicaConnector.CarriedRequest attempt) {
        reused = replicas.reused(request.getConnection());
        endPoint = ReplicaConnector.endPointOf(request.getConnection());
        if (endPoint != null) {
            endPoint.carry(attempt);
        }
    }

    /** Whether the connection found carried a request before. */
    boolean isReused() {
        return reused;
    }

    /** {@code attempt} completed: no more waiting for a connection, and its connection carries it no more. */
    void ended(ReplicaConnector.CarriedRequest attempt) {
        noConnectionTimer.end();
        ReplicaConnector.ReplicaEndPoint connection = endPoint;
        if (connection != null) {
            connection.carried(attempt);
        }
    }
}
