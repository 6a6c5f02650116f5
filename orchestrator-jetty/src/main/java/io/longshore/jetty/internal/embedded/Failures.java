package io.longshore.jetty.internal.embedded;

import io.longshore.core.Lease;
import io.longshore.jetty.internal.policy.GatewayReply;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.AbstractConnectionPool;
import org.eclipse.jetty.client.Destination;
import org.eclipse.jetty.client.HttpResponseException;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.io.QuietException;

/** Reads what went wrong from a failure of Jetty's client or of the client's body. Stateless. */
final class Failures {
    private Failures() {
    }

    /** The lease failure an attempt's failure amounts to. */
    static Lease.Failure classify(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof NoConnectionInTimeException || t instanceof ConnectException
                    || t instanceof NoRouteToHostException || t instanceof UnresolvedAddressException
                    || t instanceof SocketTimeoutException && isConnectTimeout(t)) {
                return Lease.Failure.CONNECT;
            }
            if (t instanceof ClientGoneException || t instanceof ClientBodyException
                    || t instanceof RequestBodyTooLargeException || t instanceof RejectedExecutionException) {
                return Lease.Failure.CANCELLED;
            }
            if (t instanceof TimeoutException || t instanceof SocketTimeoutException) {
                return Lease.Failure.TIMEOUT;
            }
        }
        return Lease.Failure.RESET;
    }

    /**
     * What an attempt's lease is told of its failure classified as {@code kind}: {@link Lease.Failure#CANCELLED}
     * when it waited in vain for a connection because every one to the replica was open and in
     * use (the gateway's own limit: the replica is busy, not failing), else {@code kind}. The
     * client is answered as for {@code kind} either way.
     */
    static Lease.Failure forLease(Throwable failure, Lease.Failure kind) {
        NoConnectionInTimeException wait = find(failure, NoConnectionInTimeException.class);
        return wait != null && wait.replicaBusy ? Lease.Failure.CANCELLED : kind;
    }

    /**
     * The failure of an attempt to {@code destination} that got no connection within the connect
     * timeout. Its replica counts as busy when the pool is at its limit with every connection open
     * and in use; while a connection is still being opened, the replica is slow to accept, which
     * counts against it (a connect timeout by another name).
     */
    static NoConnectionInTimeException noConnectionInTime(Destination destination) {
        return new NoConnectionInTimeException(destination.getConnectionPool() instanceof AbstractConnectionPool pool
                && pool.getPendingConnectionCount() == 0
                && pool.getActiveConnectionCount() >= pool.getMaxConnectionCount());
    }

    /**
     * The gateway's answer when an attempt failed for a reason of the client's or the gateway's
     * own rather than the replica's, or {@code null} when the replica failed.
     */
    static GatewayReply clientSideReply(Throwable failure) {
        if (has(failure, RequestBodyTooLargeException.class)) {
            return GatewayReply.BODY_TOO_LARGE;
        }
        if (has(failure, RejectedExecutionException.class)) {
            return GatewayReply.OVERLOADED;
        }
        ClientBodyException body = find(failure, ClientBodyException.class);
        if (body != null) {
            if (has(body.getCause(), HttpException.class)) {
                return GatewayReply.BAD_REQUEST;
            }
            if (has(body.getCause(), TimeoutException.class)) {
                return GatewayReply.REQUEST_TIMEOUT;
            }
        }
        return null;
    }

    /**
     * Whether the replica sent a response Jetty's parser refused ({@link HttpResponseException}
     * for its bad message, a head cut short included): bytes came back, so its connection was not
     * a stale one the replica had closed.
     */
    static boolean isMalformedResponse(Throwable failure) {
        return has(failure, HttpResponseException.class);
    }

    /** Whether the replica's response, sound as it was, could not be relayed ({@link UnrelayableResponseException}). */
    static boolean isUnrelayable(Throwable failure) {
        return has(failure, UnrelayableResponseException.class);
    }

    private static boolean has(Throwable failure, Class<?> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static boolean isConnectTimeout(Throwable t) {
        String message = t.getMessage();
        return message != null && message.toLowerCase(java.util.Locale.ROOT).contains("connect");
    }

    /**
     * The client went away while its response was being written. Quiet: the host server logs it
     * at debug, not as a server error with its stack (the access log records it as 499).
     */
    static final class ClientGoneException extends Exception implements QuietException {
        ClientGoneException(Throwable cause) {
            super("client went away", cause, false, false);
        }
    }

    /** Reading the client's request body failed (malformed framing, the client stalled or left). Quiet, as above. */
    static final class ClientBodyException extends Exception implements QuietException {
        ClientBodyException(Throwable cause) {
            super("reading the client's request body failed", cause, false, false);
        }
    }

    /** The request body went past the configured limit. */
    static final class RequestBodyTooLargeException extends Exception {
        RequestBodyTooLargeException(long limit) {
            super("request body exceeds " + limit + " bytes", null, false, false);
        }
    }

    /** No pooled connection to the replica came free within the connect timeout. */
    static final class NoConnectionInTimeException extends Exception {
        /** Whether every connection the pool may hold to the replica was open and in use. */
        final boolean replicaBusy;

        NoConnectionInTimeException(boolean replicaBusy) {
            super("no free connection to the replica in time", null, false, false);
            this.replicaBusy = replicaBusy;
        }
    }

    /** The replica answered in whole before the client's request body ended: the rest of the body is not sent. */
    static final class AnsweredBeforeBodyEndedException extends Exception {
        AnsweredBeforeBodyEndedException() {
            super("the replica answered before the request body ended", null, false, false);
        }
    }

    /**
     * The replica's response head cannot be trusted (a version other than HTTP/1.x, a status code
     * outside 100..599, a switch of protocols nobody asked for): a reset of the replica, as a head
     * Jetty's parser refuses is.
     */
    static final class BadResponseException extends Exception {
        BadResponseException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The replica's response cannot be relayed as it came (a transfer coding other than chunked,
     * which Jetty's client and server would strip): any replica would answer alike.
     */
    static final class UnrelayableResponseException extends Exception {
        UnrelayableResponseException(String message) {
            super(message, null, false, false);
        }
    }
}
